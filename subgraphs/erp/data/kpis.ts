import { type Kysely, sql, type Transaction } from 'kysely';
import type { ErpDatabase } from './tables.ts';

// Read-only aggregates for the hub's posting-accuracy SLO (subgraphs/sync/kpis/slo.ts).

type Db = Kysely<ErpDatabase> | Transaction<ErpDatabase>;

export type PostingAccuracyRow = { posted: number; corrected: number };

/**
 * Invoice postings (journal entries of source INVOICE) dated `from`..`to`, and how many were corrected
 * since: reversed by another entry, or their invoice is among `correctedInvoiceIds` (billing's credit
 * memos; a partial credit posts its own journal without reversing the original).
 */
export async function invoicePostingAccuracy(
  db: Db,
  from: string,
  to: string,
  correctedInvoiceIds: readonly string[],
): Promise<PostingAccuracyRow> {
  const r = await sql<PostingAccuracyRow>`
    select count(*)::int as posted,
           count(*) filter (where e.source_id = any(${[...correctedInvoiceIds]}::text[])
                              or exists (select 1 from erp.journal_entries x where x.reverses_id = e.id))::int as corrected
    from erp.journal_entries e
    where e.source_type = 'INVOICE' and e.entry_date between ${from}::date and ${to}::date`.execute(db);
  return r.rows[0] ?? { posted: 0, corrected: 0 };
}
