import type { Kysely } from 'kysely';
import { anyOf, inTransaction } from '../../../lib/db.ts';
import { appError } from '../../../lib/errors.ts';
import { amountForMinutes } from '../../../lib/money.ts';
import type { BillableItem, BillingDatabase } from '../data/tables.ts';
import { applyCap } from './billable-items.ts';

type Db = Kysely<BillingDatabase>;

export type Reprice = { itemId: string; rateMinor: number; rateSource: string };

/**
 * Rate changes apply to unbilled time only: items already on an invoice keep the rate they were
 * invoiced at. Reprices UNBILLED items (others are skipped, so a replay is harmless), then re-applies
 * the T&M cap of each project over its unbilled items in work-date order. Returns the items changed.
 */
export function repriceUnbilledItems(db: Db, changes: readonly Reprice[]): Promise<BillableItem[]> {
  return inTransaction(db, async (trx) => {
    if (!changes.length) return [];
    for (const c of changes)
      if (!Number.isSafeInteger(c.rateMinor) || c.rateMinor < 0)
        throw appError('INVALID_MONEY', `rate of item ${c.itemId} must be a non-negative amount`, { field: 'rateMinor' });
    const items = await trx
      .selectFrom('billing.billable_items')
      .selectAll()
      .where('id', '=', anyOf(changes.map((c) => c.itemId)))
      .where('status', '=', 'UNBILLED')
      .forUpdate()
      .execute();
    const byId = new Map(changes.map((c) => [c.itemId, c]));
    const projectIds = [...new Set(items.map((i) => i.project_id))].sort();
    const rules = new Map(
      (
        await trx
          .selectFrom('billing.rules')
          .selectAll()
          .where('project_id', '=', anyOf(projectIds.length ? projectIds : ['']))
          .orderBy('project_id')
          .forUpdate()
          .execute()
      ).map((r) => [r.project_id, r]),
    );
    const changed: BillableItem[] = [];
    for (const projectId of projectIds) {
      const own = items
        .filter((i) => i.project_id === projectId)
        .sort((a, b) => (a.work_date < b.work_date ? -1 : a.work_date > b.work_date ? 1 : a.id < b.id ? -1 : 1));
      let amounts = own.map((i) => amountForMinutes(byId.get(i.id)!.rateMinor, i.minutes));
      const cap = rules.get(projectId)?.cap_minor;
      if (cap != null) {
        const used = await trx
          .selectFrom('billing.billable_items')
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_minor'), eb.lit(0)).as('s'))
          .where('project_id', '=', projectId)
          .where('status', 'not in', ['CREDITED', 'WRITTEN_OFF'])
          .where(
            'id',
            'not in',
            own.map((i) => i.id),
          )
          .executeTakeFirstOrThrow();
        amounts = applyCap(amounts, Number(used.s), cap);
      }
      for (const [k, item] of own.entries()) {
        const c = byId.get(item.id)!;
        if (item.rate_minor === c.rateMinor && item.amount_minor === amounts[k]) continue;
        changed.push(
          await trx
            .updateTable('billing.billable_items')
            .set({ rate_minor: c.rateMinor, rate_source: c.rateSource, amount_minor: amounts[k] })
            .where('id', '=', item.id)
            .returningAll()
            .executeTakeFirstOrThrow(),
        );
      }
    }
    return changed;
  });
}
