import type { Kysely } from 'kysely';
import { anyOf, inTransaction } from '../../../lib/db.ts';
import type { BillingDatabase } from '../data/tables.ts';

type Db = Kysely<BillingDatabase>;

export type BillingRunRecord = {
  runKey: string;
  projectId: string;
  through: string;
  issueDate: string;
  invoiceIds: string[];
  writtenOffItemIds: string[];
};

/**
 * The billing runs already completed among these keys. A run is recorded in the transaction that
 * issues its invoices, so a replay of the run finds it and bills nothing new: not the time approved
 * since, not the items an UNBILL credit memo released since (docs/sync.md, "replaying a succeeded
 * job changes nothing").
 */
export async function findBillingRuns(db: Db, runKeys: readonly string[]): Promise<Map<string, BillingRunRecord>> {
  if (runKeys.length === 0) return new Map();
  const rows = await db.selectFrom('billing.billing_runs').selectAll().where('run_key', '=', anyOf(runKeys)).execute();
  return new Map(
    rows.map((r) => [
      r.run_key,
      {
        runKey: r.run_key,
        projectId: r.project_id,
        through: r.through,
        issueDate: r.issue_date,
        invoiceIds: r.invoice_ids,
        writtenOffItemIds: r.written_off_item_ids,
      },
    ]),
  );
}

/** Records completed runs; a key recorded before (a concurrent run) is left as it is. */
export function recordBillingRuns(db: Db, runs: readonly BillingRunRecord[]): Promise<void> {
  return inTransaction(db, async (trx) => {
    if (runs.length === 0) return;
    await trx
      .insertInto('billing.billing_runs')
      .values(
        runs.map((r) => ({
          run_key: r.runKey,
          project_id: r.projectId,
          through: r.through,
          issue_date: r.issueDate,
          invoice_ids: r.invoiceIds,
          written_off_item_ids: r.writtenOffItemIds,
        })),
      )
      .onConflict((oc) => oc.column('run_key').doNothing())
      .execute();
  });
}
