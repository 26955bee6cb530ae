import { sql } from 'kysely';
import type { TestGraph } from './graph.ts';

/** How the attempts to write the line the ERP used to accept ended: its API's error codes, the database's constraint. */
export type PlantAttempts = { api: unknown[]; sql: string | undefined };

/**
 * Plants cross-customer data for portal A's walk. First what the ERP used to accept: a journal line
 * of A on B's project, on a line of A's first invoice (so A's lineage walk reaches it), in an open
 * period, through its API and straight in SQL; whatever of it gets in stays for the walk. Then what
 * the constraints still allow: a manual entry whose lines name A (on the same invoice line) and B,
 * each with its own project, and a job of A that names that entry. Neither the entry nor B's line
 * is A's to see.
 */
export async function plantAcrossCustomers(g: TestGraph, A: string, B: string): Promise<PlantAttempts> {
  const db = g.database.db;
  // On the first invoice the portal's own invoice list shows, so the walk goes through it.
  const firstInvoice = await g.request(`query($a: ID) { invoices(first: 1, filter: { customerId: $a }) { nodes { id } } }`, { a: A });
  const invoice = firstInvoice.body.data.invoices.nodes[0].id as string;
  const a = (
    await sql<{ le: string; account: string; project: string; line: string; period: string; date: string; currency: string; fx: string }>`
      select l.legal_entity_id as le, l.account_code as account, l.project_id as project, l.source_line_id as line,
             p.id as period, p.start_date as date, e.currency, e.functional_currency as fx
        from erp.journal_lines l join erp.journal_entries e on e.id = l.journal_entry_id
        join lateral (select id, start_date from erp.periods where legal_entity_id = l.legal_entity_id and status = 'OPEN' order by code desc limit 1) p on true
       where l.customer_id = ${A} and l.source_line_type = 'INVOICE_LINE'
         and l.source_line_id in (select id from billing.invoice_lines where invoice_id = ${invoice})
       order by l.id limit 1`.execute(db)
  ).rows[0]!;
  const bProject = (await sql<{ id: string }>`select id from psa.projects where customer_id = ${B} order by id limit 1`.execute(db))
    .rows[0]!.id;
  const crossed = { customerId: A, projectId: bProject, sourceLineType: 'INVOICE_LINE', sourceLineId: a.line };
  const res = await g.request(`mutation($input: PostJournalEntryInput!) { postJournalEntry(input: $input) { id } }`, {
    input: {
      legalEntityId: a.le,
      date: a.date,
      sourceType: 'MANUAL',
      sourceId: 'planted-crossed-api',
      currency: a.currency,
      lines: [
        { accountCode: a.account, debit: '1.00', ...crossed },
        { accountCode: a.account, credit: '1.00', ...crossed },
      ],
    },
  });
  const api = (res.body.errors ?? []).map((e) => e.extensions?.code);
  const inSql = await db
    .transaction()
    .execute(async (trx) => {
      await sql`insert into erp.journal_entries (id, legal_entity_id, entry_date, period_id, source_type, source_id, currency, functional_currency)
                values ('je_planted_crossed', ${a.le}, ${a.date}, ${a.period}, 'MANUAL', 'planted-crossed-sql', ${a.currency}, ${a.fx})`.execute(
        trx,
      );
      await sql`insert into erp.journal_lines (id, journal_entry_id, line_no, legal_entity_id, account_code, debit_minor, credit_minor,
                  functional_debit_minor, functional_credit_minor, customer_id, project_id, source_line_type, source_line_id)
                values ('jl_planted_crossed_1', 'je_planted_crossed', 1, ${a.le}, ${a.account}, 100, 0, 100, 0, ${A}, ${bProject}, 'INVOICE_LINE', ${a.line}),
                       ('jl_planted_crossed_2', 'je_planted_crossed', 2, ${a.le}, ${a.account}, 0, 100, 0, 100, ${A}, ${bProject}, null, null)`.execute(
        trx,
      );
    })
    .then(
      () => 'written',
      (e: { constraint?: string }) => e.constraint,
    );
  await db.transaction().execute(async (trx) => {
    await sql`insert into erp.journal_entries (id, legal_entity_id, entry_date, period_id, source_type, source_id, memo, currency, functional_currency)
              values ('je_planted_mixed', ${a.le}, ${a.date}, ${a.period}, 'MANUAL', 'planted-mixed', 'Reclassification across two customers', ${a.currency}, ${a.fx})`.execute(
      trx,
    );
    await sql`insert into erp.journal_lines (id, journal_entry_id, line_no, legal_entity_id, account_code, debit_minor, credit_minor,
                functional_debit_minor, functional_credit_minor, customer_id, project_id, source_line_type, source_line_id)
              values ('jl_planted_a', 'je_planted_mixed', 1, ${a.le}, ${a.account}, 100, 0, 100, 0, ${A}, ${a.project}, 'INVOICE_LINE', ${a.line}),
                     ('jl_planted_b', 'je_planted_mixed', 2, ${a.le}, ${a.account}, 0, 100, 0, 100, ${B}, ${bProject}, null, null)`.execute(
      trx,
    );
    await sql`insert into sync.jobs (id, kind, source_type, source_id, source_key, status, customer_id, journal_entry_id)
              values ('job_planted_mixed', 'PROJECT_COST', 'JOURNAL_ENTRY', 'planted-mixed', 'planted-mixed', 'SUCCEEDED', ${A}, 'je_planted_mixed')`.execute(
      trx,
    );
  });
  return { api, sql: inSql };
}
