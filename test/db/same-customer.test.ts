import { type RawBuilder, sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromDatabaseError } from '../../lib/errors.ts';
import { seedDemo } from '../../seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// Each system keeps the references of a record with one customer, in its own tables: bad data that
// bypasses the APIs (a script, a bulk load) cannot make the row rules, which judge owners by these
// columns, tell a lie. The demo seed satisfies every rule (it was written under them).
let d: TestDatabase;
/** Two projects of two customers, each with an invoice, its lines and items, time, ledger rows and sync jobs. */
let A: { customer: string; project: string; invoice: string; line: string };
let B: { customer: string; project: string; invoice: string; line: string };

/** The first row of a query that must find one. */
const one = async <T>(query: RawBuilder<T>) => {
  const rows = (await query.execute(d.db)).rows;
  expect(rows.length, query.compile(d.db).sql).toBeGreaterThan(0);
  return rows[0]!;
};

beforeAll(async () => {
  d = await createTestDatabase();
  await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
  const rows = (
    await sql<{ customer: string; project: string; invoice: string; line: string }>`
      select distinct on (i.customer_id) i.customer_id as customer, i.project_id as project, i.id as invoice, l.id as line
        from billing.invoices i join billing.invoice_lines l on l.invoice_id = i.id
       where exists (select 1 from billing.billable_items b where b.invoice_line_id = l.id)
         and exists (select 1 from sync.jobs j where j.project_id = i.project_id)
         and exists (select 1 from erp.receivables r where r.invoice_id = i.id and not exists (select 1 from erp.payments p where p.receivable_id = r.id))
       order by i.customer_id, i.id, l.line_no limit 2`.execute(d.db)
  ).rows;
  expect(rows).toHaveLength(2);
  [A, B] = rows as [typeof A, typeof B];
  expect(A.customer).not.toBe(B.customer);
});
afterAll(async () => d?.drop());

type Refusal = { code: unknown; constraint: string | undefined };

/** Runs the writes in one transaction (deferred keys are checked at its commit) and returns how it was refused. */
async function refusal(write: (trx: Transaction<any>) => Promise<unknown>): Promise<Refusal> {
  const err = await d.db
    .transaction()
    .execute(write)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(err, 'the write was refused').toBeDefined();
  return { code: fromDatabaseError(err)?.extensions.code, constraint: (err as { constraint?: string }).constraint };
}

const mismatch = (constraint: string): Refusal => ({ code: 'CUSTOMER_MISMATCH', constraint });
const run = (trx: Transaction<any>, text: string) => sql.raw(text).execute(trx);

describe('each system keeps a record’s references with one customer', () => {
  it('psa: a contract carries its project’s customer, and a project cannot leave its contract’s customer', async () => {
    expect(
      await refusal((t) => run(t, `update psa.contracts set customer_id = '${B.customer}' where project_id = '${A.project}'`)),
    ).toEqual(mismatch('contracts_project_same_customer'));
    expect(await refusal((t) => run(t, `update psa.projects set customer_id = '${B.customer}' where id = '${A.project}'`))).toEqual(
      mismatch('contracts_project_same_customer'),
    );
    // Control: the same statement with the project's own customer is accepted.
    await d.db
      .transaction()
      .execute((t) => run(t, `update psa.contracts set customer_id = '${A.customer}' where project_id = '${A.project}'`));
  });

  it('time: an entry’s customer is its project’s in the time system', async () => {
    const entry = await one(sql<{ id: string }>`select id from time.time_entries where project_id = ${A.project} limit 1`);
    expect(await refusal((t) => run(t, `update time.time_entries set customer_id = '${B.customer}' where id = '${entry.id}'`))).toEqual(
      mismatch('time_entries_project_same_customer'),
    );
    const after = await one(sql<{ customer_id: string }>`select customer_id from time.time_entries where id = ${entry.id}`);
    expect(after.customer_id).toBe(A.customer);
  });

  it('billing: invoices and items are billed to their project’s rule customer; a credit memo to its invoice’s', async () => {
    expect(await refusal((t) => run(t, `update billing.invoices set customer_id = '${B.customer}' where id = '${A.invoice}'`))).toEqual(
      mismatch('invoices_project_same_customer'),
    );
    const unbilled = await one(
      sql<{ id: string; customer_id: string }>`select id, customer_id from billing.billable_items where invoice_line_id is null limit 1`,
    );
    const stranger = unbilled.customer_id === A.customer ? B.customer : A.customer;
    expect(
      await refusal((t) => run(t, `update billing.billable_items set customer_id = '${stranger}' where id = '${unbilled.id}'`)),
    ).toEqual(mismatch('billable_items_project_same_customer'));
    const memo = await one(sql<{ id: string; customer_id: string }>`select id, customer_id from billing.credit_memos limit 1`);
    const other = memo.customer_id === A.customer ? B.customer : A.customer;
    expect(await refusal((t) => run(t, `update billing.credit_memos set customer_id = '${other}' where id = '${memo.id}'`))).toEqual(
      mismatch('credit_memos_invoice_same_customer'),
    );
  });

  it('billing: what hangs on an invoice line (an item, a milestone, a credit) belongs to that line’s invoice', async () => {
    const otherItem = await one(
      sql<{ id: string }>`select id from billing.billable_items where project_id = ${B.project} and invoice_line_id is null limit 1`,
    );
    expect(
      await refusal((t) =>
        run(t, `update billing.billable_items set invoice_line_id = '${A.line}', status = 'INVOICED' where id = '${otherItem.id}'`),
      ),
    ).toEqual(mismatch('billable_items_invoice_same_customer'));
    const milestone = await one(sql<{ id: string }>`select id from billing.milestones where project_id <> ${A.project} limit 1`);
    expect(
      await refusal((t) => run(t, `update billing.invoice_lines set milestone_id = '${milestone.id}' where id = '${A.line}'`)),
    ).toEqual(mismatch('invoice_lines_milestone_same_customer'));
    const credit = await one(
      sql<{
        id: string;
        foreign_line: string;
      }>`select cl.id, (select l.id from billing.invoice_lines l where l.invoice_id <> m.invoice_id limit 1) as foreign_line
        from billing.credit_memo_lines cl join billing.credit_memos m on m.id = cl.credit_memo_id limit 1`,
    );
    expect(
      await refusal((t) =>
        run(t, `update billing.credit_memo_lines set invoice_line_id = '${credit.foreign_line}' where id = '${credit.id}'`),
      ),
    ).toEqual(mismatch('credit_memo_lines_invoice_same_customer'));
  });

  it('erp: journal lines, receivables and contract references name a project with the customer of its register', async () => {
    const line = await one(
      sql<{ id: string }>`select id from erp.journal_lines where project_id = ${A.project} and customer_id = ${A.customer} limit 1`,
    );
    // The bad data the ERP used to accept: the line keeps A's project and names B as its customer.
    expect(await refusal((t) => run(t, `update erp.journal_lines set customer_id = '${B.customer}' where id = '${line.id}'`))).toEqual(
      mismatch('journal_lines_project_same_customer'),
    );
    expect(
      await refusal((t) => run(t, `update erp.receivables set customer_id = '${B.customer}' where invoice_id = '${A.invoice}'`)),
    ).toEqual(mismatch('receivables_project_same_customer'));
    expect(
      await refusal((t) => run(t, `update erp.contract_refs set customer_id = '${B.customer}' where project_id = '${A.project}'`)),
    ).toEqual(mismatch('contract_refs_project_same_customer'));
    const payment = await one(sql<{ id: string; customer_id: string }>`select id, customer_id from erp.payments limit 1`);
    const other = payment.customer_id === A.customer ? B.customer : A.customer;
    expect(await refusal((t) => run(t, `update erp.payments set customer_id = '${other}' where id = '${payment.id}'`))).toEqual(
      mismatch('payments_receivable_same_customer'),
    );
    // The register says A, so the line is as it was.
    const after = await one(sql<{ customer_id: string }>`select customer_id from erp.journal_lines where id = ${line.id}`);
    expect(after.customer_id).toBe(A.customer);
  });

  it('sync: the jobs of one project or invoice name one customer', async () => {
    const job = await one(sql<{ id: string }>`select id from sync.jobs where project_id = ${A.project} and invoice_id is null limit 1`);
    expect(await refusal((t) => run(t, `update sync.jobs set customer_id = '${B.customer}' where id = '${job.id}'`))).toEqual(
      mismatch('jobs_project_same_customer'),
    );
    const invoiceJob = await one(sql<{ id: string }>`select id from sync.jobs where invoice_id = ${A.invoice} limit 1`);
    expect(
      await refusal((t) =>
        run(t, `update sync.jobs set customer_id = '${B.customer}', project_id = '${B.project}' where id = '${invoiceJob.id}'`),
      ),
    ).toEqual(mismatch('jobs_invoice_same_customer'));
  });
});
