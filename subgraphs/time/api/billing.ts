import type { Kysely, Transaction } from 'kysely';
import { anyOf, inTransaction } from '../../../lib/db.ts';
import { appError, badInput, notFound } from '../../../lib/errors.ts';
import type { BillingStatus, TimeDatabase, TimeEntry } from '../data/tables.ts';

type Db = Kysely<TimeDatabase>;

export type SetBillingStatusOptions = {
  /** Runs in the same transaction with the entries that actually changed (e.g. to enqueue a job). */
  afterWrite?: (trx: Transaction<TimeDatabase>, changed: TimeEntry[]) => Promise<void>;
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
 * they are (idempotent replays). Returns every requested entry, in the order of `entryIds`.
 */
export function setBillingStatus(db: Db, entryIds: readonly string[], status: BillingStatus, opts: SetBillingStatusOptions = {}): Promise<TimeEntry[]> {
  return inTransaction(db, async (trx) => {
    if (!(status in ALLOWED)) throw badInput(`status must be UNBILLED, BILLED or WRITTEN_OFF, got ${JSON.stringify(status)}`, 'status');
    const ids = [...new Set(entryIds)];
    if (ids.length === 0) return [];
    // One array parameter, not one per id: a billing cycle's batch can bill tens of thousands of entries.
    const rows = await trx.selectFrom('time.time_entries').selectAll().where('id', '=', anyOf(ids)).orderBy('id').forUpdate().execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.find((id) => !byId.has(id));
    if (missing) throw notFound('TimeEntry', missing);
    const toChange: string[] = [];
    for (const r of rows) {
      if (r.billing_status === status) continue;
      if (r.status !== 'APPROVED') throw appError('INVALID_STATE_TRANSITION', `Time entry ${r.id} is ${r.status}; only approved time has a billing status`, { id: r.id, status: r.status });
      if (status === 'BILLED' && !r.billable) throw appError('INVALID_STATE_TRANSITION', `Time entry ${r.id} is not billable and cannot be billed`, { id: r.id });
      if (!ALLOWED[r.billing_status].has(status)) {
        throw appError('INVALID_STATE_TRANSITION', `Time entry ${r.id} is ${r.billing_status}; it cannot become ${status}`, { id: r.id, from: r.billing_status, to: status });
      }
      toChange.push(r.id);
    }
    let changed: TimeEntry[] = [];
    if (toChange.length) {
      changed = await trx.updateTable('time.time_entries').set({ billing_status: status, updated_at: new Date() }).where('id', '=', anyOf(toChange)).returningAll().execute();
      for (const c of changed) byId.set(c.id, c);
    }
    if (opts.afterWrite) await opts.afterWrite(trx, changed);
    return entryIds.map((id) => byId.get(id)!);
  });
}
