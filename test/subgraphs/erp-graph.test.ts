import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpSubgraph } from '../../subgraphs/erp/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let erp: ReturnType<typeof createErpSubgraph>;

type Line = [
  account: string,
  debit: number,
  credit: number,
  fd: number,
  fc: number,
  dims?: { customer_id?: string; project_id?: string; source_line_type?: string; source_line_id?: string },
];
const ENTRIES: {
  id: string;
  date: string;
  period: string;
  type: string;
  source: string;
  currency: string;
  rate?: string;
  reverses?: string;
  lines: Line[];
}[] = [
  {
    id: 'je_1',
    date: '2026-01-05',
    period: 'p_01',
    type: 'INVOICE',
    source: 'inv_1',
    currency: 'USD',
    lines: [
      ['1200', 100000, 0, 100000, 0, { customer_id: 'cus_a', project_id: 'prj_1' }],
      [
        '4000',
        0,
        100000,
        0,
        100000,
        { customer_id: 'cus_a', project_id: 'prj_1', source_line_type: 'INVOICE_LINE', source_line_id: 'il_1' },
      ],
    ],
  },
  {
    id: 'je_2',
    date: '2026-01-10',
    period: 'p_01',
    type: 'INVOICE',
    source: 'inv_2',
    currency: 'EUR',
    rate: '1.10000000',
    lines: [
      ['1200', 20000, 0, 22000, 0, { customer_id: 'cus_a', project_id: 'prj_1' }],
      ['4000', 0, 20000, 0, 22000, { customer_id: 'cus_a', project_id: 'prj_1', source_line_type: 'INVOICE_LINE', source_line_id: 'il_2' }],
    ],
  },
  {
    id: 'je_3',
    date: '2026-01-15',
    period: 'p_01',
    type: 'INVOICE',
    source: 'inv_3',
    currency: 'USD',
    lines: [
      ['1200', 50000, 0, 50000, 0, { customer_id: 'cus_b', project_id: 'prj_2' }],
      ['4000', 0, 50000, 0, 50000, { customer_id: 'cus_b', project_id: 'prj_2', source_line_type: 'INVOICE_LINE', source_line_id: 'il_3' }],
    ],
  },
  {
    id: 'je_4',
    date: '2026-01-20',
    period: 'p_01',
    type: 'PROJECT_COST',
    source: 'cost_1',
    currency: 'USD',
    lines: [
      ['5000', 70000, 0, 70000, 0, { project_id: 'prj_1' }],
      ['1000', 0, 70000, 0, 70000],
    ],
  },
  {
    id: 'je_5',
    date: '2026-02-03',
    period: 'p_02',
    type: 'CREDIT_MEMO',
    source: 'cm_1',
    currency: 'USD',
    lines: [
      ['4000', 10000, 0, 10000, 0, { customer_id: 'cus_a', project_id: 'prj_1', source_line_type: 'INVOICE_LINE', source_line_id: 'il_1' }],
      ['1200', 0, 10000, 0, 10000, { customer_id: 'cus_a', project_id: 'prj_1' }],
    ],
  },
  {
    id: 'je_6',
    date: '2026-02-10',
    period: 'p_02',
    type: 'INVOICE',
    source: 'inv_4',
    currency: 'USD',
    lines: [
      ['1200', 30000, 0, 30000, 0, { customer_id: 'cus_b', project_id: 'prj_2' }],
      ['4000', 0, 30000, 0, 30000, { customer_id: 'cus_b', project_id: 'prj_2' }],
    ],
  },
];

beforeAll(async () => {
  t = await createTestDatabase();
  erp = createErpSubgraph(t.db);
  await t.db
    .insertInto('erp.legal_entities')
    .values([
      { id: 'US01', name: 'Ledgerline US Inc', country: 'US', functional_currency: 'USD' },
      { id: 'EU01', name: 'Ledgerline Europe BV', country: 'NL', functional_currency: 'EUR' },
    ])
    .execute();
  await t.db
    .insertInto('erp.accounts')
    .values([
      { legal_entity_id: 'US01', code: '1000', name: 'Cash', type: 'ASSET' },
      { legal_entity_id: 'US01', code: '1200', name: 'Accounts receivable', type: 'ASSET' },
      { legal_entity_id: 'US01', code: '4000', name: 'Revenue', type: 'REVENUE' },
      { legal_entity_id: 'US01', code: '5000', name: 'Delivery cost', type: 'EXPENSE' },
    ])
    .execute();
  await t.db
    .insertInto('erp.periods')
    .values([
      { id: 'p_01', legal_entity_id: 'US01', code: '2026-01', start_date: '2026-01-01', end_date: '2026-01-31', status: 'OPEN' },
      { id: 'p_02', legal_entity_id: 'US01', code: '2026-02', start_date: '2026-02-01', end_date: '2026-02-28', status: 'OPEN' },
    ])
    .execute();
  // One transaction: the balance trigger is deferred to commit, when every entry is complete.
  await t.db.transaction().execute(async (trx) => {
    for (const e of ENTRIES) {
      await trx
        .insertInto('erp.journal_entries')
        .values({
          id: e.id,
          legal_entity_id: 'US01',
          entry_date: e.date,
          period_id: e.period,
          source_type: e.type,
          source_id: e.source,
          memo: null,
          currency: e.currency,
          functional_currency: 'USD',
          fx_rate: e.rate ?? '1',
          reverses_id: e.reverses ?? null,
        })
        .execute();
      await trx
        .insertInto('erp.journal_lines')
        .values(
          e.lines.map(([account_code, debit_minor, credit_minor, functional_debit_minor, functional_credit_minor, dims], i) => ({
            id: `${e.id.replace('je', 'jl')}_${i + 1}`,
            journal_entry_id: e.id,
            line_no: i + 1,
            legal_entity_id: 'US01',
            account_code,
            debit_minor,
            credit_minor,
            functional_debit_minor,
            functional_credit_minor,
            ...dims,
          })),
        )
        .execute();
    }
  });
  const rcv = (
    id: string,
    invoice: string,
    customer: string,
    currency: string,
    amount: number,
    open: number,
    due: string,
    status: 'OPEN' | 'PARTIALLY_PAID' | 'PAID',
  ) => ({
    id,
    invoice_id: invoice,
    invoice_number: `N-${invoice}`,
    customer_id: customer,
    legal_entity_id: 'US01',
    // The project of the customer's journal lines above: the erp's project register holds every
    // receivable to the one customer of its project.
    project_id: customer === 'cus_b' ? 'prj_2' : 'prj_1',
    currency,
    amount_minor: amount,
    open_minor: open,
    // What is not open was paid (the fixture has payments only): the receivable settles from its facts.
    received_minor: amount - open,
    paid_minor: amount - open,
    issue_date: '2026-01-05',
    due_date: due,
    status,
    journal_entry_id: null,
  });
  await t.db
    .insertInto('erp.receivables')
    .values([
      { ...rcv('r_1', 'inv_1', 'cus_a', 'USD', 100000, 90000, '2026-02-04', 'PARTIALLY_PAID'), journal_entry_id: 'je_1' },
      rcv('r_2', 'inv_2', 'cus_a', 'EUR', 20000, 20000, '2026-02-09', 'OPEN'),
      rcv('r_3', 'inv_3', 'cus_b', 'USD', 50000, 0, '2026-02-14', 'PAID'),
      rcv('r_4', 'inv_4', 'cus_b', 'USD', 30000, 30000, '2026-03-12', 'OPEN'),
      rcv('r_5', 'inv_5', 'cus_a', 'USD', 5005, 5005, '2026-03-01', 'OPEN'),
    ])
    .execute();
  await t.db
    .insertInto('erp.payments')
    .values({
      id: 'pay_1',
      customer_id: 'cus_b',
      legal_entity_id: 'US01',
      receivable_id: 'r_3',
      invoice_id: 'inv_3',
      amount_minor: 50000,
      currency: 'USD',
      received_on: '2026-02-01',
      external_ref: 'bank-1',
      journal_entry_id: null,
    })
    .execute();
  await t.db
    .insertInto('erp.customer_masters')
    .values({
      customer_id: 'cus_a',
      name: 'Acme Holdings Inc',
      legal_entity_id: 'US01',
      currency: 'USD',
      tax_code: 'US-STD',
      payment_terms_days: 30,
      credit_limit_minor: 5000000,
    })
    .execute();
  await t.db
    .insertInto('erp.contract_refs')
    .values({
      contract_id: 'ctr_eu',
      project_id: 'prj_eu',
      customer_id: 'cus_a',
      legal_entity_id: 'EU01',
      currency: 'EUR',
      service_line: 'ADVISORY',
    })
    .execute();
});
afterAll(async () => t.drop());

const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id);

describe('erp entities', () => {
  it('resolves every entity it defines or extends through _entities, in key order, null for unknown ids of its own entities', async () => {
    const res = await execute(
      erp,
      `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on LegalEntity { id name functionalCurrency }
      ... on JournalEntry { id source { type id } }
      ... on JournalLine { id lineNumber entry { id } }
      ... on Customer { id financialMaster { name } arBalance { amount currency } }
      ... on Invoice { id journalEntry { id } receivable { id } }
      ... on InvoiceLine { id journalLines { id } }
      ... on CreditMemo { id journalEntry { id } }
      ... on Project { id financials { revenue { amount } } }
    } }`,
      {
        r: [
          { __typename: 'JournalLine', id: 'jl_2_2' },
          { __typename: 'LegalEntity', id: 'US01' },
          { __typename: 'JournalEntry', id: 'je_3' },
          { __typename: 'LegalEntity', id: 'nope' },
          { __typename: 'Customer', id: 'cus_a' },
          { __typename: 'Invoice', id: 'inv_1' },
          { __typename: 'InvoiceLine', id: 'il_1' },
          { __typename: 'CreditMemo', id: 'cm_1' },
          { __typename: 'Project', id: 'prj_2' },
          { __typename: 'JournalEntry', id: 'nope' },
          { __typename: 'JournalLine', id: 'nope' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      { id: 'jl_2_2', lineNumber: 2, entry: { id: 'je_2' } },
      { id: 'US01', name: 'Ledgerline US Inc', functionalCurrency: 'USD' },
      { id: 'je_3', source: { type: 'INVOICE', id: 'inv_3' } },
      null,
      {
        id: 'cus_a',
        financialMaster: { name: 'Acme Holdings Inc' },
        arBalance: [
          { amount: '200.00', currency: 'EUR' },
          { amount: '950.05', currency: 'USD' },
        ],
      },
      { id: 'inv_1', journalEntry: { id: 'je_1' }, receivable: { id: 'r_1' } },
      { id: 'il_1', journalLines: [{ id: 'jl_1_2' }, { id: 'jl_5_1' }] },
      { id: 'cm_1', journalEntry: { id: 'je_5' } },
      { id: 'prj_2', financials: { revenue: { amount: '800.00' } } },
      null,
      null,
    ]);
  });

  it('extends entities owned elsewhere without knowing their ids: an unknown customer, invoice or project gets empty ERP fields', async () => {
    const res = await execute(
      erp,
      `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Customer { id financialMaster { name } arBalance { amount } receivables { id } }
      ... on Invoice { id journalEntry { id } receivable { id } }
      ... on Project { id financials { legalEntity { id } revenue { amount } marginPercent } }
    } }`,
      {
        r: [
          { __typename: 'Customer', id: 'cus_x' },
          { __typename: 'Invoice', id: 'inv_x' },
          { __typename: 'Project', id: 'prj_x' },
        ],
      },
    );
    expect(res.data._entities).toEqual([
      { id: 'cus_x', financialMaster: null, arBalance: [], receivables: [] },
      { id: 'inv_x', journalEntry: null, receivable: null },
      { id: 'prj_x', financials: { legalEntity: null, revenue: null, marginPercent: null } },
    ]);
  });

  it('traces lineage both ways: invoice -> journal entry -> lines -> source line, and invoice line -> journal lines', async () => {
    const res = await execute(
      erp,
      `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Invoice { journalEntry { lines { account { code name } sourceLine { type id } customer { id } project { id } } } }
      ... on InvoiceLine { journalLines { entry { source { type id } } credit { amount } debit { amount } } }
    } }`,
      {
        r: [
          { __typename: 'Invoice', id: 'inv_2' },
          { __typename: 'InvoiceLine', id: 'il_1' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities[0].journalEntry.lines[1]).toEqual({
      account: { code: '4000', name: 'Revenue' },
      sourceLine: { type: 'INVOICE_LINE', id: 'il_2' },
      customer: { id: 'cus_a' },
      project: { id: 'prj_1' },
    });
    expect(res.data._entities[1].journalLines).toEqual([
      { entry: { source: { type: 'INVOICE', id: 'inv_1' } }, credit: { amount: '1000.00' }, debit: { amount: '0.00' } },
      { entry: { source: { type: 'CREDIT_MEMO', id: 'cm_1' } }, credit: { amount: '0.00' }, debit: { amount: '100.00' } },
    ]);
  });
});

describe('erp lists', () => {
  const PAGE = `query($after: String, $dir: SortDirection!) { journalEntries(first: 4, after: $after, orderBy: { field: ENTRY_DATE, direction: $dir }) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`;

  it('pages journal entries with keyset cursors in both directions, with totalCount', async () => {
    const p1 = await execute(erp, PAGE, { dir: 'ASC' });
    expect(ids(p1.data.journalEntries.nodes)).toEqual(['je_1', 'je_2', 'je_3', 'je_4']);
    expect(p1.data.journalEntries).toMatchObject({ pageInfo: { hasNextPage: true }, totalCount: 6 });
    const p2 = await execute(erp, PAGE, { dir: 'ASC', after: p1.data.journalEntries.pageInfo.endCursor });
    expect(ids(p2.data.journalEntries.nodes)).toEqual(['je_5', 'je_6']);
    expect(p2.data.journalEntries.pageInfo.hasNextPage).toBe(false);
    const desc = await execute(erp, PAGE, { dir: 'DESC' });
    expect(ids(desc.data.journalEntries.nodes)).toEqual(['je_6', 'je_5', 'je_4', 'je_3']);
  });

  it('rejects a malformed cursor, and a cursor of another sort order, with INVALID_CURSOR', async () => {
    expect(codes(await execute(erp, PAGE, { dir: 'ASC', after: 'not-a-cursor' }))).toEqual(['INVALID_CURSOR']);
    const asc = await execute(erp, PAGE, { dir: 'ASC' });
    expect(codes(await execute(erp, PAGE, { dir: 'DESC', after: asc.data.journalEntries.pageInfo.endCursor }))).toEqual(['INVALID_CURSOR']);
    expect(
      codes(
        await execute(erp, `query($a: String) { receivables(after: $a) { totalCount } }`, {
          a: asc.data.journalEntries.pageInfo.endCursor,
        }),
      ),
    ).toEqual(['INVALID_CURSOR']);
    expect(codes(await execute(erp, `{ journalEntries(first: 1001) { totalCount } }`))).toEqual(['BAD_USER_INPUT']);
  });

  it('filters journal entries by customer, project, source and date range', async () => {
    const q = `query($f: JournalEntryFilter) { journalEntries(filter: $f, orderBy: { field: ENTRY_DATE, direction: ASC }) { nodes { id } totalCount } }`;
    const run = async (f: Record<string, unknown>) => ids((await execute(erp, q, { f })).data.journalEntries.nodes);
    expect(await run({ customerId: 'cus_b' })).toEqual(['je_3', 'je_6']);
    expect(await run({ projectId: 'prj_1' })).toEqual(['je_1', 'je_2', 'je_4', 'je_5']);
    expect(await run({ sourceType: 'INVOICE', from: '2026-01-10', to: '2026-02-03' })).toEqual(['je_2', 'je_3']);
    expect(await run({ sourceType: 'CREDIT_MEMO', sourceId: 'cm_1', legalEntityId: 'US01' })).toEqual(['je_5']);
    expect((await execute(erp, q, { f: { projectId: 'prj_1', customerId: 'cus_a' } })).data.journalEntries.totalCount).toBe(3);
  });

  it('pages receivables oldest due first and filters the overdue ones', async () => {
    const q = `query($after: String, $f: ReceivableFilter) { receivables(first: 2, after: $after, filter: $f) { nodes { id dueDate openBalance { amount currency } } pageInfo { hasNextPage endCursor } totalCount } }`;
    const p1 = await execute(erp, q, {});
    expect(ids(p1.data.receivables.nodes)).toEqual(['r_1', 'r_2']);
    const p2 = await execute(erp, q, { after: p1.data.receivables.pageInfo.endCursor });
    expect(ids(p2.data.receivables.nodes)).toEqual(['r_3', 'r_5']);
    const overdue = await execute(erp, q, { f: { overdueAsOf: '2026-02-15' } });
    expect(overdue.data.receivables).toMatchObject({
      totalCount: 2,
      nodes: [
        { id: 'r_1', openBalance: { amount: '900.00', currency: 'USD' } },
        { id: 'r_2', openBalance: { amount: '200.00', currency: 'EUR' } },
      ],
    });
    expect(ids((await execute(erp, q, { f: { customerId: 'cus_b', status: 'OPEN' } })).data.receivables.nodes)).toEqual(['r_4']);
  });
});

describe('erp aggregates', () => {
  it('sums AR per customer and currency exactly, and lists receivables with their payments', async () => {
    const res = await execute(
      erp,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { arBalance { amount currency minorUnits } receivables(openOnly: true) { id } all: receivables { id payments { externalRef amount { amount } } } } } }`,
      {
        r: [
          { __typename: 'Customer', id: 'cus_a' },
          { __typename: 'Customer', id: 'cus_b' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities[0].arBalance).toEqual([
      { amount: '200.00', currency: 'EUR', minorUnits: '20000' },
      { amount: '950.05', currency: 'USD', minorUnits: '95005' },
    ]);
    expect(res.data._entities[1].arBalance).toEqual([{ amount: '300.00', currency: 'USD', minorUnits: '30000' }]);
    expect(ids(res.data._entities[1].receivables)).toEqual(['r_4']);
    expect(res.data._entities[1].all).toEqual([
      { id: 'r_3', payments: [{ externalRef: 'bank-1', amount: { amount: '500.00' } }] },
      { id: 'r_4', payments: [] },
    ]);
  });

  it('computes project financials in the functional currency: revenue, cost, margin and margin percent', async () => {
    const res = await execute(
      erp,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { id financials { legalEntity { id } revenue { amount currency } cost { amount } margin { amount } marginPercent } } } }`,
      { r: ['prj_1', 'prj_2', 'prj_eu'].map((id) => ({ __typename: 'Project', id })) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      // 1000.00 + 200 EUR at 1.10 (220.00) - 100.00 credit memo = 1120.00 revenue; 700.00 cost; 420 / 1120 = 37.5 %.
      {
        id: 'prj_1',
        financials: {
          legalEntity: { id: 'US01' },
          revenue: { amount: '1120.00', currency: 'USD' },
          cost: { amount: '700.00' },
          margin: { amount: '420.00' },
          marginPercent: '37.5',
        },
      },
      {
        id: 'prj_2',
        financials: {
          legalEntity: { id: 'US01' },
          revenue: { amount: '800.00', currency: 'USD' },
          cost: { amount: '0.00' },
          margin: { amount: '800.00' },
          marginPercent: '100.0',
        },
      },
      // Known through its contract reference only: zero in EUR, no percentage without revenue.
      {
        id: 'prj_eu',
        financials: {
          legalEntity: { id: 'EU01' },
          revenue: { amount: '0.00', currency: 'EUR' },
          cost: { amount: '0.00' },
          margin: { amount: '0.00' },
          marginPercent: null,
        },
      },
    ]);
  });

  it('builds the trial balance of a period per account in the functional currency; debits equal credits', async () => {
    const res = await execute(
      erp,
      `{ trialBalance(legalEntityId: "US01", periodCode: "2026-01") { period { code } rows { account { code type } debit { amount } credit { amount } balance { amount } } totalDebit { amount currency } totalCredit { amount currency } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.trialBalance).toEqual({
      period: { code: '2026-01' },
      rows: [
        {
          account: { code: '1000', type: 'ASSET' },
          debit: { amount: '0.00' },
          credit: { amount: '700.00' },
          balance: { amount: '-700.00' },
        },
        {
          account: { code: '1200', type: 'ASSET' },
          debit: { amount: '1720.00' },
          credit: { amount: '0.00' },
          balance: { amount: '1720.00' },
        },
        {
          account: { code: '4000', type: 'REVENUE' },
          debit: { amount: '0.00' },
          credit: { amount: '1720.00' },
          balance: { amount: '-1720.00' },
        },
        {
          account: { code: '5000', type: 'EXPENSE' },
          debit: { amount: '700.00' },
          credit: { amount: '0.00' },
          balance: { amount: '700.00' },
        },
      ],
      totalDebit: { amount: '2420.00', currency: 'USD' },
      totalCredit: { amount: '2420.00', currency: 'USD' },
    });
    expect(
      (await execute(erp, `{ trialBalance(legalEntityId: "US01", periodCode: "2030-01") { period { code } } }`)).data.trialBalance,
    ).toBeNull();
  });

  it('reads legal entities, their chart, periods and customer masters', async () => {
    const res = await execute(
      erp,
      `{ legalEntities { id accounts { code } periods { code status } } accounts(legalEntityId: "US01") { code legalEntity { id } }
      customerFinancialMaster(customerId: "cus_a") { customer { id } currency paymentTermsDays creditLimit { amount } status legalEntity { id } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.legalEntities).toEqual([
      { id: 'EU01', accounts: [], periods: [] },
      {
        id: 'US01',
        accounts: [{ code: '1000' }, { code: '1200' }, { code: '4000' }, { code: '5000' }],
        periods: [
          { code: '2026-01', status: 'OPEN' },
          { code: '2026-02', status: 'OPEN' },
        ],
      },
    ]);
    expect(res.data.accounts).toHaveLength(4);
    expect(res.data.customerFinancialMaster).toEqual({
      customer: { id: 'cus_a' },
      currency: 'USD',
      paymentTermsDays: 30,
      creditLimit: { amount: '50000.00' },
      status: 'ACTIVE',
      legalEntity: { id: 'US01' },
    });
  });

  it('costs a number of SQL statements per request that does not grow with the number of rows', async () => {
    const q = `query($n: Int!) { journalEntries(first: $n) { nodes { id legalEntity { name } period { code } reverses { id } reversedBy { id } totals { debit { amount } functionalCredit { amount } }
      lines { account { name } debit { amount } functionalDebit { amount } customer { id financialMaster { name } arBalance { amount } } project { id financials { revenue { amount } } } } } } }`;
    const statementsFor = async (n: number) => {
      t.statements.length = 0;
      const res = await execute(erp, q, { n });
      expect(res.errors).toBeUndefined();
      expect(res.data.journalEntries.nodes).toHaveLength(n);
      return t.statements.length;
    };
    const one = await statementsFor(1);
    expect(one).toBeGreaterThan(0);
    expect(await statementsFor(6)).toBe(one);
  });
});
