import type { Kysely, Transaction } from 'kysely';
import { anyOf, inTransaction } from '../../../lib/db.ts';
import { appError, badInput, notFound } from '../../../lib/errors.ts';
import type { BillingStatus, TimeDatabase } from '../data/tables.ts';

type Db = Kysely<TimeDatabase>;

export type SetBillingStatusOptions = {
  /** Runs in the same transaction with the ids of the entries that actually changed (e.g. to enqueue a job). */
  afterWrite?: (trx: Transaction<TimeDatabase>, changedIds: string[]) => Promise<void>;
};

// Billing marks time BILLED; a credit memo sends it back to UNBILLED or WRITTEN_OFF; written-off time
// can be reinstated. Written-off time is never billed directly: reinstate it first, so it shows in WIP.
const ALLOWED: Record<BillingStatus, ReadonlySet<BillingStatus>> = {
  UNBILLED: new Set(['BILLED', 'WRITTEN_OFF']),
  BILLED: new Set(['UNBILLED', 'WRITTEN_OFF']),
  WRITTEN_OFF: new Set(['UNBILLED']),
};

/**
 * Sets the billing status of approved entries, for the sync flows (billing run, credit memo,
 * write-off). All or nothing: an unknown id, an entry not APPROVED, billing non-billable time or a
 * transition outside the table above fails the whole call. Entries already in `status` are left as
 * they are (idempotent replays). Returns the ids it changed, in id order.
 *
 * A billing cycle's batch passes tens of thousands of ids: the entries are locked and checked on the
 * four columns the rules need, and updated without reading them back (the whole rows, twice, were
 * about a tenth of a billing batch's time in the sync benchmark).
 */
export function setBillingStatus(
  db: Db,
  entryIds: readonly string[],
  status: BillingStatus,
  opts: SetBillingStatusOptions = {},
): Promise<{ changed: string[] }> {
  return inTransaction(db, async (trx) => {
    if (!(status in ALLOWED)) throw badInput(`status must be UNBILLED, BILLED or WRITTEN_OFF, got ${JSON.stringify(status)}`, 'status');
    const ids = [...new Set(entryIds)];
    if (ids.length === 0) return { changed: [] };
    const rows = await trx
      .selectFrom('time.time_entries')
      .select(['id', 'status', 'billable', 'billing_status'])
      .where('id', '=', anyOf(ids))
      .orderBy('id')
      .forUpdate()
      .execute();
    if (rows.length !== ids.length) {
      const found = new Set(rows.map((r) => r.id));
      throw notFound('TimeEntry', ids.find((id) => !found.has(id))!);
    }
    const changed: string[] = [];
    for (const r of rows) {
      if (r.billing_status === status) continue;
      if (r.status !== 'APPROVED')
        throw appError('INVALID_STATE_TRANSITION', `Time entry ${r.id} is ${r.status}; only approved time has a billing status`, {
          id: r.id,
          status: r.status,
        });
      if (status === 'BILLED' && !r.billable)
        throw appError('INVALID_STATE_TRANSITION', `Time entry ${r.id} is not billable and cannot be billed`, { id: r.id });
      if (!ALLOWED[r.billing_status].has(status)) {
        throw appError('INVALID_STATE_TRANSITION', `Time entry ${r.id} is ${r.billing_status}; it cannot become ${status}`, {
          id: r.id,
          from: r.billing_status,
          to: status,
        });
      }
      changed.push(r.id);
    }
    if (changed.length)
      await trx
        .updateTable('time.time_entries')
        .set({ billing_status: status, updated_at: new Date() })
        .where('id', '=', anyOf(changed))
        .execute();
    if (opts.afterWrite) await opts.afterWrite(trx, changed);
    return { changed };
  });
}
