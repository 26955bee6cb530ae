import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { createBillingSubgraph } from '../../subgraphs/billing/subgraph.ts';
import { createErpSubgraph } from '../../subgraphs/erp/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

// The system APIs refuse a record that names a project with another customer than the system
// knows it under: CUSTOMER_MISMATCH, and nothing written. (The ERP used to post such a journal line,
// and a portal user then read the other customer's project through it.)
let d: TestDatabase;
let erp: ReturnType<typeof createErpSubgraph>;
let billing: ReturnType<typeof createBillingSubgraph>;
/** A project of customer A, with its legal entity and currency; B is another customer. */
let P: { project: string; customer: string; legal_entity_id: string; currency: string; contract_id: string };
let B = '';

beforeAll(async () => {
  d = await createTestDatabase();
  await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
  erp = createErpSubgraph(d.db);
  billing = createBillingSubgraph(d.db);
  P = (
    await sql<typeof P>`
      select r.project_id as project, r.customer_id as customer, r.legal_entity_id, r.currency, r.contract_id
        from billing.rules r join erp.legal_entities le on le.id = r.legal_entity_id and le.functional_currency = r.currency
       where exists (select 1 from billing.invoices i where i.project_id = r.project_id)
       order by r.project_id limit 1`.execute(d.db)
  ).rows[0]!;
  expect(P?.project).toMatch(/^prj_/);
  B = (await sql<{ id: string }>`select id from crm.customers where id <> ${P.customer} order by id limit 1`.execute(d.db)).rows[0]!.id;
});
afterAll(async () => d?.drop());

const count = async (table: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(d.db)).rows[0]!.n;

const POST = `mutation($input: PostJournalEntryInput!) { postJournalEntry(input: $input) { id lines { customer { id } project { id } } } }`;
const entry = (sourceId: string, customerId: string) => ({
  legalEntityId: P.legal_entity_id,
  date: '2026-11-10',
  sourceType: 'MANUAL',
  sourceId,
  currency: P.currency,
  lines: [
    { accountCode: '1200', debit: '100.00', customerId, projectId: P.project },
    { accountCode: '4000', credit: '100.00', customerId, projectId: P.project },
  ],
});

describe('system APIs keep a record with one customer', () => {
  it('erp: a journal line naming the project with another customer is CUSTOMER_MISMATCH; nothing is posted', async () => {
    const before = await count('erp.journal_lines');
    const res = await execute(erp, POST, { input: entry('adj-mismatch', B) });
    expect(codes(res)).toEqual(['CUSTOMER_MISMATCH']);
    expect(res.errors?.[0]?.extensions).toMatchObject({ field: 'lines[0].projectId', expected: P.customer });
    expect(await count('erp.journal_lines')).toBe(before);
    // Two lines of one new entry naming a project the erp has never seen with two customers: the same.
    const fresh = entry('adj-split', P.customer);
    fresh.lines[0]!.projectId = 'prj_unseen';
    fresh.lines[1] = { ...fresh.lines[1]!, projectId: 'prj_unseen', customerId: B };
    expect(codes(await execute(erp, POST, { input: fresh }))).toEqual(['CUSTOMER_MISMATCH']);
    expect(await count('erp.journal_lines')).toBe(before);
    // Control: the same entry with the project's own customer posts.
    const ok = await execute(erp, POST, { input: entry('adj-own', P.customer) });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.postJournalEntry.lines.map((l: any) => l.customer.id)).toEqual([P.customer, P.customer]);
  });

  it('erp: a receivable or a contract reference naming the project with another customer is CUSTOMER_MISMATCH', async () => {
    const receivables = await count('erp.receivables');
    const rcv = await execute(erp, `mutation($input: CreateReceivableInput!) { createReceivable(input: $input) { id } }`, {
      input: {
        invoiceId: 'inv_planted',
        invoiceNumber: 'X-1',
        customerId: B,
        legalEntityId: P.legal_entity_id,
        projectId: P.project,
        currency: P.currency,
        amount: '10.00',
        issueDate: '2026-11-10',
        dueDate: '2026-12-10',
      },
    });
    expect(codes(rcv)).toEqual(['CUSTOMER_MISMATCH']);
    expect(await count('erp.receivables')).toBe(receivables);
    const ref = await execute(erp, `mutation($input: ContractRefInput!) { upsertContractRef(input: $input) { contractId } }`, {
      input: {
        contractId: P.contract_id,
        projectId: P.project,
        customerId: B,
        legalEntityId: P.legal_entity_id,
        currency: P.currency,
        serviceLine: 'ADVISORY',
      },
    });
    expect(codes(ref)).toEqual(['CUSTOMER_MISMATCH']);
    const kept = await sql<{ customer_id: string }>`select customer_id from erp.contract_refs where project_id = ${P.project}`.execute(
      d.db,
    );
    expect(kept.rows).toEqual([{ customer_id: P.customer }]);
  });

  it('billing: a project with invoices cannot move its rule to another customer (CUSTOMER_MISMATCH); the rule is unchanged', async () => {
    const res = await execute(billing, `mutation($input: BillingRuleInput!) { upsertBillingRule(input: $input) { customer { id } } }`, {
      input: {
        projectId: P.project,
        customerId: B,
        contractId: P.contract_id,
        legalEntityId: P.legal_entity_id,
        billingModel: 'TIME_AND_MATERIALS',
        currency: P.currency,
        serviceLine: 'ADVISORY',
      },
    });
    expect(codes(res)).toEqual(['CUSTOMER_MISMATCH']);
    expect(res.errors?.[0]?.extensions).toMatchObject({ field: 'customerId', expected: P.customer });
    const rule = await sql<{ customer_id: string }>`select customer_id from billing.rules where project_id = ${P.project}`.execute(d.db);
    expect(rule.rows).toEqual([{ customer_id: P.customer }]);
  });
});
