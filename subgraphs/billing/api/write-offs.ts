import type { Kysely } from 'kysely';
import { anyOf, inTransaction } from '../../../lib/db.ts';
import { appError, badInput } from '../../../lib/errors.ts';
import type { BillableItem, BillingDatabase } from '../data/tables.ts';
import type { AfterWrite } from './issuing.ts';

type Db = Kysely<BillingDatabase>;

/**
 * Writes off unbilled work: UNBILLED items become WRITTEN_OFF and are never invoiced (the time
 * system follows through the sync flow `afterWrite` enqueues). All or nothing: an unknown item or
 * one that is not UNBILLED fails the call; items already WRITTEN_OFF are left as they are, so a
 * replay changes nothing. Returns the items it wrote off, in id order.
 *
 * Errors: BAD_USER_INPUT (empty list), NOT_FOUND, INVALID_STATE_TRANSITION.
 */
export function writeOffUnbilledItems(
  db: Db,
  itemIds: readonly string[],
  afterWrite?: AfterWrite<BillableItem[]>,
): Promise<BillableItem[]> {
  return inTransaction(db, async (trx) => {
    const ids = [...new Set(itemIds)].sort();
    if (ids.length === 0) throw badInput('Name at least one billable item to write off', 'itemIds');
    const items = await trx
      .selectFrom('billing.billable_items')
      .selectAll()
      .where('id', '=', anyOf(ids))
      .orderBy('id')
      .forUpdate()
      .execute();
    const found = new Set(items.map((i) => i.id));
    const missing = ids.find((id) => !found.has(id));
    if (missing)
      throw appError('NOT_FOUND', `BillableItem ${missing} does not exist`, { type: 'BillableItem', id: missing, field: 'itemIds' });
    const wrong = items.find((i) => i.status !== 'UNBILLED' && i.status !== 'WRITTEN_OFF');
    if (wrong)
      throw appError('INVALID_STATE_TRANSITION', `BillableItem ${wrong.id} is ${wrong.status}; only unbilled work is written off`, {
        from: wrong.status,
        to: 'WRITTEN_OFF',
        field: 'itemIds',
      });
    const todo = items.filter((i) => i.status === 'UNBILLED').map((i) => i.id);
    const written = todo.length
      ? await trx
          .updateTable('billing.billable_items')
          .set({ status: 'WRITTEN_OFF' })
          .where('id', '=', anyOf(todo))
          .returningAll()
          .execute()
      : [];
    written.sort((a, b) => (a.id < b.id ? -1 : 1));
    if (afterWrite) await afterWrite(trx, written);
    return written;
  });
}
