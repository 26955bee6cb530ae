import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingSubgraph } from '../../subgraphs/billing/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let billing: ReturnType<typeof createBillingSubgraph>;

const rule = (projectId: string, customerId: string, currency: string, legalEntityId: string) => ({
  project_id: projectId,
  customer_id: customerId,
  contract_id: `ctr_${projectId}`,
  legal_entity_id: legalEntityId,
  billing_model: 'TIME_AND_MATERIALS',
  currency,
  service_line: 'ENGINEERING',
});
const item = (id: string, sourceId: string, amount: number, status: string, line: string | null, workDate: string) => ({
  id,
  source_type: 'TIME_ENTRY',
  source_id: sourceId,
  project_id: 'prj_a',
  customer_id: 'cus_a',
  resource_id: 'res_1',
  role: 'CONSULTANT',
  work_date: workDate,
  source_minutes: 60,
  minutes: 60,
  rate_minor: amount,
  rate_source: 'RATE_CARD_ROLE',
  amount_minor: amount,
  currency: 'USD',
  status,
  invoice_line_id: line,
});
const invoice = (id: string, over: Record<string, unknown>) => ({
  id,
  legal_entity_id: 'LE-US',
  customer_id: 'cus_a',
  project_id: 'prj_a',
  currency: 'USD',
  ...over,
});
const line = (id: string, invoiceId: string, kind: string, amount: number, tax: number, over: Record<string, unknown> = {}) => ({
  id,
  invoice_id: invoiceId,
  line_no: 1,
  kind,
  description: kind,
  quantity: '1.00',
  unit_price_minor: amount,
  amount_minor: amount,
  tax_code: 'DE-VAT19',
  tax_rate_bp: tax ? 1900 : 0,
  tax_minor: tax,
  service_line: 'ENGINEERING',
  ...over,
});

beforeAll(async () => {
  t = await createTestDatabase();
  billing = createBillingSubgraph(t.db);
  await t.db
    .insertInto('billing.accounts')
    .values([
      { customer_id: 'cus_a', name: 'Acme', legal_entity_id: 'LE-US', currency: 'USD', payment_terms_days: 30, tax_code: 'US-NY' },
      { customer_id: 'cus_b', name: 'Beta', legal_entity_id: 'LE-DE', currency: 'EUR', payment_terms_days: 14, tax_code: 'DE-VAT19' },
    ])
    .execute();
  await t.db
    .insertInto('billing.rules')
    .values([rule('prj_a', 'cus_a', 'USD', 'LE-US'), rule('prj_b', 'cus_b', 'EUR', 'LE-DE'), rule('prj_empty', 'cus_a', 'USD', 'LE-US')])
    .execute();
  await t.db
    .insertInto('billing.milestones')
    .values({
      id: 'mst_1',
      project_id: 'prj_a',
      name: 'Phase 1',
      amount_minor: 100000,
      currency: 'USD',
      due_date: '2026-11-15',
      status: 'INVOICED',
    })
    .execute();
  await t.db
    .insertInto('billing.invoices')
    .values([
      invoice('inv_1', {
        number: 'US-2026-000001',
        status: 'PARTIALLY_PAID',
        issue_date: '2026-11-05',
        due_date: '2026-12-05',
        subtotal_minor: 30000,
        tax_minor: 5700,
        total_minor: 35700,
        paid_minor: 10000,
        received_minor: 10000,
      }),
      invoice('inv_2', {
        number: 'US-2026-000002',
        status: 'ISSUED',
        issue_date: '2026-11-20',
        due_date: '2026-12-20',
        subtotal_minor: 100000,
        tax_minor: 19000,
        total_minor: 119000,
        credited_minor: 11900,
      }),
      invoice('inv_3', { status: 'DRAFT', subtotal_minor: 5000, total_minor: 5000 }),
      invoice('inv_4', {
        number: 'DE-2026-000001',
        legal_entity_id: 'LE-DE',
        customer_id: 'cus_b',
        project_id: 'prj_b',
        currency: 'EUR',
        status: 'ISSUED',
        issue_date: '2026-11-10',
        due_date: '2026-11-24',
        subtotal_minor: 20000,
        total_minor: 20000,
      }),
      invoice('inv_5', { status: 'VOID', subtotal_minor: 1000, total_minor: 1000 }),
    ])
    .execute();
  await t.db
    .insertInto('billing.invoice_lines')
    .values([
      line('inl_1', 'inv_1', 'TIME', 30000, 5700),
      line('inl_2', 'inv_2', 'MILESTONE', 100000, 19000, { milestone_id: 'mst_1', credited_minor: 10000 }),
      line('inl_3', 'inv_3', 'TIME', 5000, 0),
      line('inl_4', 'inv_4', 'TIME', 20000, 0),
    ])
    .execute();
  await t.db
    .insertInto('billing.billable_items')
    .values([
      item('bil_1', 'te_1', 10000, 'UNBILLED', null, '2026-11-25'),
      item('bil_2', 'te_2', 20000, 'INVOICED', 'inl_1', '2026-11-02'),
      item('bil_3', 'te_3', 10000, 'INVOICED', 'inl_1', '2026-11-03'),
    ])
    .execute();
  await t.db
    .insertInto('billing.credit_memos')
    .values({
      id: 'cm_1',
      number: 'US-CM-2026-000001',
      legal_entity_id: 'LE-US',
      invoice_id: 'inv_2',
      customer_id: 'cus_a',
      currency: 'USD',
      issue_date: '2026-11-25',
      reason: 'Goodwill',
      time_disposition: 'UNBILL',
      subtotal_minor: 10000,
      tax_minor: 1900,
      total_minor: 11900,
    })
    .execute();
  await t.db
    .insertInto('billing.credit_memo_lines')
    .values({ id: 'cml_1', credit_memo_id: 'cm_1', invoice_line_id: 'inl_2', amount_minor: 10000, tax_minor: 1900 })
    .execute();
  await t.db
    .insertInto('billing.invoice_payments')
    .values({ id: 'pay_1', invoice_id: 'inv_1', erp_payment_id: 'erp_1', amount_minor: 10000, received_on: '2026-11-30' })
    .execute();
});
afterAll(async () => t.drop());

const ids = (conn: { nodes: { id: string }[] }) => conn.nodes.map((n) => n.id);

describe('billing subgraph: entities', () => {
  it('resolves every entity it owns or extends through _entities, in key order, null for unknown ids of its own', async () => {
    const res = await execute(
      billing,
      `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Invoice { id invoiceNumber: number total { amount } lines { id } }
        ... on BillableItem { id amount { amount } invoice { id } }
        ... on InvoiceLine { id lineInvoice: invoice { id } credited { amount } milestone { id } }
        ... on CreditMemo { id memoNumber: number memoInvoice: invoice { id } }
        ... on TimeEntry { id billableItem { id } entryInvoice: invoice { number } }
        ... on Project { id unbilledAmount { amount } }
        ... on Customer { id invoices(status: DRAFT) { id } }
      } }`,
      {
        r: [
          { __typename: 'Invoice', id: 'inv_2' },
          { __typename: 'BillableItem', id: 'bil_2' },
          { __typename: 'InvoiceLine', id: 'inl_2' },
          { __typename: 'CreditMemo', id: 'cm_1' },
          { __typename: 'TimeEntry', id: 'te_3' },
          { __typename: 'Project', id: 'prj_a' },
          { __typename: 'Customer', id: 'cus_a' },
          { __typename: 'Invoice', id: 'inv_nope' },
          { __typename: 'BillableItem', id: 'bil_nope' },
          { __typename: 'InvoiceLine', id: 'inl_nope' },
          { __typename: 'CreditMemo', id: 'cm_nope' },
          { __typename: 'TimeEntry', id: 'te_unknown' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      { id: 'inv_2', invoiceNumber: 'US-2026-000002', total: { amount: '1190.00' }, lines: [{ id: 'inl_2' }] },
      { id: 'bil_2', amount: { amount: '200.00' }, invoice: { id: 'inv_1' } },
      { id: 'inl_2', lineInvoice: { id: 'inv_2' }, credited: { amount: '100.00' }, milestone: { id: 'mst_1' } },
      { id: 'cm_1', memoNumber: 'US-CM-2026-000001', memoInvoice: { id: 'inv_2' } },
      { id: 'te_3', billableItem: { id: 'bil_3' }, entryInvoice: { number: 'US-2026-000001' } },
      { id: 'prj_a', unbilledAmount: { amount: '100.00' } },
      { id: 'cus_a', invoices: [{ id: 'inv_3' }] },
      null,
      null,
      null,
      null,
      // Time entries live in the time system: billing only knows this one has nothing billed.
      { id: 'te_unknown', billableItem: null, entryInvoice: null },
    ]);
  });

  it('shows an invoice with lines, items, credit memos, payments and exact money', async () => {
    const res = await execute(
      billing,
      `{ invoice(id: "inv_1") { number status customer { id } project { id } legalEntityId legalEntity { id } issueDate dueDate
        subtotal { amount } tax { amount } total { amount minorUnits currency } paid { amount } credited { amount } openBalance { amount }
        lines { lineNo kind quantity taxRateBp billableItems { id timeEntry { id } } } payments { erpPaymentId amount { amount } } creditMemos { id } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.invoice).toEqual({
      number: 'US-2026-000001',
      status: 'PARTIALLY_PAID',
      customer: { id: 'cus_a' },
      project: { id: 'prj_a' },
      legalEntityId: 'LE-US',
      legalEntity: { id: 'LE-US' },
      issueDate: '2026-11-05',
      dueDate: '2026-12-05',
      subtotal: { amount: '300.00' },
      tax: { amount: '57.00' },
      total: { amount: '357.00', minorUnits: '35700', currency: 'USD' },
      paid: { amount: '100.00' },
      credited: { amount: '0.00' },
      openBalance: { amount: '257.00' },
      lines: [
        {
          lineNo: 1,
          kind: 'TIME',
          quantity: 1,
          taxRateBp: 1900,
          billableItems: [
            { id: 'bil_2', timeEntry: { id: 'te_2' } },
            { id: 'bil_3', timeEntry: { id: 'te_3' } },
          ],
        },
      ],
      payments: [{ erpPaymentId: 'erp_1', amount: { amount: '100.00' } }],
      creditMemos: [],
    });
    expect((await execute(billing, `{ invoice(id: "nope") { id } }`)).data.invoice).toBeNull();
  });

  it('adds billing to Project: rule, milestones, items and invoices by status, unbilled and net invoiced amounts', async () => {
    const res = await execute(
      billing,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { id
        billingRule { billingModel currency customer { id } legalEntity { id } cap { amount } }
        milestones { id status amount { amount } } billableItems(status: INVOICED) { id } invoices(status: VOID) { id }
        unbilledAmount { amount currency } invoicedAmount { amount currency } } } }`,
      { r: ['prj_a', 'prj_empty', 'prj_unknown'].map((id) => ({ __typename: 'Project', id })) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      {
        id: 'prj_a',
        billingRule: {
          billingModel: 'TIME_AND_MATERIALS',
          currency: 'USD',
          customer: { id: 'cus_a' },
          legalEntity: { id: 'LE-US' },
          cap: null,
        },
        milestones: [{ id: 'mst_1', status: 'INVOICED', amount: { amount: '1000.00' } }],
        billableItems: [{ id: 'bil_2' }, { id: 'bil_3' }],
        invoices: [{ id: 'inv_5' }],
        unbilledAmount: { amount: '100.00', currency: 'USD' },
        // 300.00 + 1,000.00 issued, minus the 100.00 credit memo; drafts and void invoices do not count.
        invoicedAmount: { amount: '1200.00', currency: 'USD' },
      },
      {
        id: 'prj_empty',
        billingRule: expect.any(Object),
        milestones: [],
        billableItems: [],
        invoices: [],
        unbilledAmount: { amount: '0.00', currency: 'USD' },
        invoicedAmount: { amount: '0.00', currency: 'USD' },
      },
      { id: 'prj_unknown', billingRule: null, milestones: [], billableItems: [], invoices: [], unbilledAmount: null, invoicedAmount: null },
    ]);
  });

  it('sums a customer billing summary per currency in the database', async () => {
    const res = await execute(
      billing,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id billingSummary { currency unbilled { amount } invoiced { amount } paid { amount } credited { amount } openBalance { amount } } } } }`,
      { r: ['cus_a', 'cus_b', 'cus_unknown'].map((id) => ({ __typename: 'Customer', id })) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      {
        id: 'cus_a',
        billingSummary: [
          {
            currency: 'USD',
            unbilled: { amount: '100.00' },
            invoiced: { amount: '1547.00' },
            paid: { amount: '100.00' },
            credited: { amount: '119.00' },
            openBalance: { amount: '1328.00' },
          },
        ],
      },
      {
        id: 'cus_b',
        billingSummary: [
          {
            currency: 'EUR',
            unbilled: { amount: '0.00' },
            invoiced: { amount: '200.00' },
            paid: { amount: '0.00' },
            credited: { amount: '0.00' },
            openBalance: { amount: '200.00' },
          },
        ],
      },
      { id: 'cus_unknown', billingSummary: [] },
    ]);
  });
});

describe('billing subgraph: lists and totals', () => {
  it('pages invoices with keyset cursors and totalCount, in every sort order', async () => {
    const q = `query($after: String, $order: InvoiceOrder) { invoices(first: 2, after: $after, orderBy: $order) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`;
    const order = { field: 'NUMBER', direction: 'ASC' };
    const p1 = await execute(billing, q, { order });
    expect(p1.data.invoices).toMatchObject({ nodes: [{ id: 'inv_3' }, { id: 'inv_5' }], pageInfo: { hasNextPage: true }, totalCount: 5 });
    const p2 = await execute(billing, q, { order, after: p1.data.invoices.pageInfo.endCursor });
    expect(ids(p2.data.invoices)).toEqual(['inv_4', 'inv_1']);
    const p3 = await execute(billing, q, { order, after: p2.data.invoices.pageInfo.endCursor });
    expect(p3.data.invoices).toMatchObject({ nodes: [{ id: 'inv_2' }], pageInfo: { hasNextPage: false } });

    const byDate = await execute(billing, `{ invoices(first: 10) { nodes { id } } }`);
    expect(ids(byDate.data.invoices)).toEqual(['inv_5', 'inv_3', 'inv_2', 'inv_4', 'inv_1']);
    const d1 = await execute(billing, q, {});
    const d2 = await execute(billing, q, { after: d1.data.invoices.pageInfo.endCursor });
    expect(ids(d2.data.invoices)).toEqual(['inv_2', 'inv_4']);

    const byTotal = await execute(
      billing,
      `{ invoices(filter: { customerId: "cus_a" }, orderBy: { field: TOTAL, direction: DESC }) { nodes { id } totalCount } }`,
    );
    expect(byTotal.data.invoices).toEqual({ nodes: [{ id: 'inv_2' }, { id: 'inv_1' }, { id: 'inv_3' }, { id: 'inv_5' }], totalCount: 4 });
    const t1 = await execute(billing, q, { order: { field: 'TOTAL', direction: 'DESC' } });
    const t2 = await execute(billing, q, { order: { field: 'TOTAL', direction: 'DESC' }, after: t1.data.invoices.pageInfo.endCursor });
    expect([...ids(t1.data.invoices), ...ids(t2.data.invoices)]).toEqual(['inv_2', 'inv_1', 'inv_4', 'inv_3']);
  });

  it('filters invoices by status, issue dates and legal entity', async () => {
    const run = async (filter: Record<string, unknown>) =>
      ids(
        (
          await execute(
            billing,
            `query($f: InvoiceFilter) { invoices(filter: $f, orderBy: { field: NUMBER, direction: ASC }) { nodes { id } } }`,
            { f: filter },
          )
        ).data.invoices,
      );
    expect(await run({ status: 'ISSUED' })).toEqual(['inv_4', 'inv_2']);
    expect(await run({ issuedFrom: '2026-11-06', issuedTo: '2026-11-20' })).toEqual(['inv_4', 'inv_2']);
    expect(await run({ legalEntityId: 'LE-DE' })).toEqual(['inv_4']);
    expect(await run({ projectId: 'prj_a', status: 'PARTIALLY_PAID' })).toEqual(['inv_1']);
  });

  it('rejects a malformed cursor, and a cursor of another sort order, with INVALID_CURSOR', async () => {
    expect(codes(await execute(billing, `{ invoices(after: "not-a-cursor") { nodes { id } } }`))).toEqual(['INVALID_CURSOR']);
    expect(codes(await execute(billing, `{ billableItems(after: "bm9wZQ") { nodes { id } } }`))).toEqual(['INVALID_CURSOR']);
    const p1 = await execute(billing, `{ invoices(first: 1, orderBy: { field: NUMBER }) { pageInfo { endCursor } } }`);
    const other = await execute(billing, `query($a: String) { invoices(after: $a, orderBy: { field: TOTAL }) { nodes { id } } }`, {
      a: p1.data.invoices.pageInfo.endCursor,
    });
    expect(codes(other)).toEqual(['INVALID_CURSOR']);
  });

  it('pages billable items by work date with filters', async () => {
    const q = `query($after: String, $f: BillableItemFilter) { billableItems(first: 2, after: $after, filter: $f) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`;
    const p1 = await execute(billing, q, {});
    expect(p1.data.billableItems).toMatchObject({
      nodes: [{ id: 'bil_2' }, { id: 'bil_3' }],
      pageInfo: { hasNextPage: true },
      totalCount: 3,
    });
    const p2 = await execute(billing, q, { after: p1.data.billableItems.pageInfo.endCursor });
    expect(ids(p2.data.billableItems)).toEqual(['bil_1']);
    const unbilled = await execute(billing, q, { f: { projectId: 'prj_a', status: 'UNBILLED', from: '2026-11-01', to: '2026-11-30' } });
    expect(unbilled.data.billableItems).toMatchObject({ nodes: [{ id: 'bil_1' }], totalCount: 1 });
  });

  it('lists credit memos with lines and totals', async () => {
    const res = await execute(
      billing,
      `{ creditMemos(filter: { customerId: "cus_a" }) { totalCount nodes { number reason timeDisposition customer { id } issueDate total { amount } lines { amount { amount } tax { amount } invoiceLine { id } } } } }`,
    );
    expect(res.data.creditMemos).toEqual({
      totalCount: 1,
      nodes: [
        {
          number: 'US-CM-2026-000001',
          reason: 'Goodwill',
          timeDisposition: 'UNBILL',
          customer: { id: 'cus_a' },
          issueDate: '2026-11-25',
          total: { amount: '119.00' },
          lines: [{ amount: { amount: '100.00' }, tax: { amount: '19.00' }, invoiceLine: { id: 'inl_2' } }],
        },
      ],
    });
  });

  it('invoiceTotals sums per currency exactly, leaving out drafts and void invoices unless asked for by status', async () => {
    const q = `query($f: InvoiceFilter) { invoiceTotals(filter: $f) { currency count subtotal { amount } tax { amount } total { amount } paid { amount } credited { amount } openBalance { amount } } }`;
    const all = await execute(billing, q, {});
    expect(all.data.invoiceTotals).toEqual([
      {
        currency: 'EUR',
        count: 1,
        subtotal: { amount: '200.00' },
        tax: { amount: '0.00' },
        total: { amount: '200.00' },
        paid: { amount: '0.00' },
        credited: { amount: '0.00' },
        openBalance: { amount: '200.00' },
      },
      {
        currency: 'USD',
        count: 2,
        subtotal: { amount: '1300.00' },
        tax: { amount: '247.00' },
        total: { amount: '1547.00' },
        paid: { amount: '100.00' },
        credited: { amount: '119.00' },
        openBalance: { amount: '1328.00' },
      },
    ]);
    const drafts = await execute(billing, q, { f: { status: 'DRAFT' } });
    expect(drafts.data.invoiceTotals).toEqual([
      {
        currency: 'USD',
        count: 1,
        subtotal: { amount: '50.00' },
        tax: { amount: '0.00' },
        total: { amount: '50.00' },
        paid: { amount: '0.00' },
        credited: { amount: '0.00' },
        openBalance: { amount: '0.00' },
      },
    ]);
    expect((await execute(billing, q, { f: { customerId: 'cus_nobody' } })).data.invoiceTotals).toEqual([]);
  });

  it('costs a fixed number of SQL statements whatever the number of invoices: each loader runs once, nested children included', async () => {
    const q = `query($n: Int) { invoices(first: $n) { nodes { id lines { billableItems { id invoice { id } timeEntry { id } } milestone { name } } creditMemos { lines { invoiceLine { id } } } payments { id }
      customer { billingSummary { currency } invoices { id } } project { billingRule { currency } unbilledAmount { amount } invoicedAmount { amount } milestones { id } } } } }`;
    t.statements.length = 0;
    const res = await execute(billing, q, { n: 5 });
    expect(res.errors).toBeUndefined();
    expect(res.data.invoices.nodes).toHaveLength(5);
    // One statement per list field and level, not per row: the same query shape never runs twice.
    const shapes = t.statements.map((s) => s.replace(/\$\d+(, \$\d+)*/g, '$n'));
    expect(shapes.length).toBeGreaterThan(0);
    expect(new Set(shapes).size).toBe(shapes.length);
    expect(shapes.length).toBeLessThanOrEqual(16);
  });
});
