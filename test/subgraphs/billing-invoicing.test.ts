import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueInvoice } from '../../subgraphs/billing/api/index.ts';
import { createBillingSubgraph } from '../../subgraphs/billing/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let billing: ReturnType<typeof createBillingSubgraph>;

const rule = (projectId: string, over: Record<string, unknown> = {}) => ({
  project_id: projectId,
  customer_id: 'cus_a',
  contract_id: `ctr_${projectId}`,
  legal_entity_id: 'LE-US',
  billing_model: 'TIME_AND_MATERIALS',
  currency: 'USD',
  service_line: 'ENGINEERING',
  ...over,
});
let seq = 0;
const item = (projectId: string, role: string, rate: number, minutes: number, workDate: string, over: Record<string, unknown> = {}) => {
  seq += 1;
  return {
    id: `bil_${seq}`,
    source_type: 'TIME_ENTRY',
    source_id: `te_${seq}`,
    project_id: projectId,
    customer_id: 'cus_a',
    resource_id: 'res_1',
    role,
    work_date: workDate,
    source_minutes: minutes,
    minutes,
    rate_minor: rate,
    rate_source: 'RATE_CARD_ROLE',
    amount_minor: (rate * minutes) / 60,
    currency: 'USD',
    ...over,
  };
};

beforeAll(async () => {
  t = await createTestDatabase();
  billing = createBillingSubgraph(t.db);
  await t.db
    .insertInto('billing.accounts')
    .values([
      { customer_id: 'cus_a', name: 'Acme', legal_entity_id: 'LE-US', currency: 'USD', payment_terms_days: 30, tax_code: 'US-NY' },
      // The tax rate is the customer's tax code's (mapping file): the milestone customer pays 19%.
      { customer_id: 'cus_de', name: 'Dach', legal_entity_id: 'LE-US', currency: 'USD', payment_terms_days: 30, tax_code: 'DE-VAT19' },
    ])
    .execute();
  await t.db
    .insertInto('billing.rules')
    .values([
      rule('prj_a'),
      rule('prj_ms', { billing_model: 'MILESTONES', customer_id: 'cus_de' }),
      rule('prj_void'),
      rule('prj_conc', { legal_entity_id: 'LE-CONC' }),
    ])
    .execute();
  await t.db
    .insertInto('billing.billable_items')
    .values([
      item('prj_a', 'CONSULTANT', 15000, 465, '2026-11-02'),
      item('prj_a', 'CONSULTANT', 15000, 75, '2026-11-03'),
      item('prj_a', 'CONSULTANT', 17500, 120, '2026-11-04'),
      item('prj_a', 'MANAGER', 21000, 30, '2026-11-05'),
      item('prj_a', 'CONSULTANT', 15000, 60, '2026-12-01'),
      item('prj_a', 'CONSULTANT', 15000, 60, '2026-11-06', { status: 'WRITTEN_OFF' }),
      item('prj_void', 'CONSULTANT', 15000, 60, '2026-11-02'),
    ])
    .execute();
  await t.db
    .insertInto('billing.milestones')
    .values([
      { id: 'mst_due', project_id: 'prj_ms', name: 'Kick-off', amount_minor: 1000000, currency: 'USD', due_date: '2026-11-01' },
      { id: 'mst_later', project_id: 'prj_ms', name: 'Go-live', amount_minor: 2500000, currency: 'USD', due_date: '2027-03-01' },
      { id: 'mst_void', project_id: 'prj_ms', name: 'Training', amount_minor: 50000, currency: 'USD', due_date: '2026-10-01' },
    ])
    .execute();
});
afterAll(async () => t.drop());

const DRAFT = `mutation($p: ID!, $through: Date!, $bp: Int) { createDraftInvoice(projectId: $p, through: $through, taxRateBp: $bp) {
  id status number periodStart periodEnd subtotal { amount } tax { amount } total { amount } openBalance { amount }
  lines { lineNo kind description quantity unitPrice { amount } amount { amount } taxCode taxRateBp tax { amount } serviceLine billableItems { sourceId status } } } }`;
const ISSUE = `mutation($id: ID!, $d: Date!) { issueInvoice(id: $id, issueDate: $d) { id status number issueDate dueDate openBalance { amount } } }`;
const countInvoices = async () =>
  Number((await t.db.selectFrom('billing.invoices').select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('billing: draft invoices', () => {
  let draftId: string;

  it('createDraftInvoice puts unbilled items up to the date on one line per (role, rate), with exact tax and totals', async () => {
    const res = await execute(billing, DRAFT, { p: 'prj_a', through: '2026-11-30', bp: 888 });
    expect(res.errors).toBeUndefined();
    const inv = res.data.createDraftInvoice;
    draftId = inv.id;
    expect(inv).toMatchObject({
      status: 'DRAFT',
      number: null,
      periodStart: '2026-11-02',
      periodEnd: '2026-11-30',
      openBalance: { amount: '0.00' },
    });
    expect(inv.lines.map((l: Record<string, unknown>) => ({ ...l, billableItems: (l.billableItems as unknown[]).length }))).toEqual([
      {
        lineNo: 1,
        kind: 'TIME',
        description: 'CONSULTANT: 9.00 h at 150.00 USD/h',
        quantity: 9,
        unitPrice: { amount: '150.00' },
        amount: { amount: '1350.00' },
        taxCode: 'US-NY',
        taxRateBp: 888,
        tax: { amount: '119.88' },
        serviceLine: 'ENGINEERING',
        billableItems: 2,
      },
      {
        lineNo: 2,
        kind: 'TIME',
        description: 'CONSULTANT: 2.00 h at 175.00 USD/h',
        quantity: 2,
        unitPrice: { amount: '175.00' },
        amount: { amount: '350.00' },
        taxCode: 'US-NY',
        taxRateBp: 888,
        tax: { amount: '31.08' },
        serviceLine: 'ENGINEERING',
        billableItems: 1,
      },
      // 105.00 x 8.88% = 9.324 -> 9.32
      {
        lineNo: 3,
        kind: 'TIME',
        description: 'MANAGER: 0.50 h at 210.00 USD/h',
        quantity: 0.5,
        unitPrice: { amount: '210.00' },
        amount: { amount: '105.00' },
        taxCode: 'US-NY',
        taxRateBp: 888,
        tax: { amount: '9.32' },
        serviceLine: 'ENGINEERING',
        billableItems: 1,
      },
    ]);
    expect(inv.lines[0].billableItems.every((i: { status: string }) => i.status === 'INVOICED')).toBe(true);
    expect(inv).toMatchObject({ subtotal: { amount: '1805.00' }, tax: { amount: '160.28' }, total: { amount: '1965.28' } });
    const left = await t.db
      .selectFrom('billing.billable_items')
      .select(['work_date', 'status'])
      .where('project_id', '=', 'prj_a')
      .where('status', '!=', 'INVOICED')
      .orderBy('work_date')
      .execute();
    expect(left).toEqual([
      { work_date: '2026-11-06', status: 'WRITTEN_OFF' },
      { work_date: '2026-12-01', status: 'UNBILLED' },
    ]);
  });

  it('createDraftInvoice: BAD_USER_INPUT "nothing to bill" when no unbilled item is due, and writes nothing', async () => {
    const before = await countInvoices();
    const res = await execute(billing, DRAFT, { p: 'prj_a', through: '2026-11-30' });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].message).toMatch(/^nothing to bill/);
    expect(await countInvoices()).toBe(before);
  });

  it('createDraftInvoice: BAD_USER_INPUT for a project that does not bill time and materials; NOT_FOUND without a rule', async () => {
    expect(codes(await execute(billing, DRAFT, { p: 'prj_ms', through: '2026-11-30' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await execute(billing, DRAFT, { p: 'prj_nope', through: '2026-11-30' }))).toEqual(['NOT_FOUND']);
  });

  it('issueInvoice numbers the draft per legal entity and sets the due date from the payment terms; issuing again changes nothing', async () => {
    const res = await execute(billing, ISSUE, { id: draftId, d: '2026-12-05' });
    expect(res.errors).toBeUndefined();
    expect(res.data.issueInvoice).toEqual({
      id: draftId,
      status: 'ISSUED',
      number: 'US-2026-000001',
      issueDate: '2026-12-05',
      dueDate: '2027-01-04',
      openBalance: { amount: '1965.28' },
    });
    const again = await execute(billing, ISSUE, { id: draftId, d: '2026-12-24' });
    expect(again.data.issueInvoice).toEqual(res.data.issueInvoice);
  });

  it('issueInvoice runs afterWrite in its transaction: when it fails, the invoice stays a draft and the number is not used', async () => {
    const draft = await execute(billing, `mutation { createMilestoneInvoice(milestoneId: "mst_due", asOf: "2026-11-30") { id } }`);
    const id = draft.data.createMilestoneInvoice.id;
    let seen: string | undefined;
    await expect(
      issueInvoice(t.db, id, '2026-12-06', new Date('2026-12-06T09:00:00Z'), async (trx, invoice) => {
        seen = (await trx.selectFrom('billing.invoices').select('status').where('id', '=', invoice.id).executeTakeFirstOrThrow()).status;
        throw new Error('enqueue failed');
      }),
    ).rejects.toThrow('enqueue failed');
    expect(seen).toBe('ISSUED');
    expect(await t.db.selectFrom('billing.invoices').select(['status', 'number']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({
      status: 'DRAFT',
      number: null,
    });
    const issued = await execute(billing, ISSUE, { id, d: '2026-12-06' });
    expect(issued.data.issueInvoice.number).toBe('US-2026-000002');
  });

  it('issueInvoice: 20 concurrent issues on one legal entity get numbers 1..20 with no gap or duplicate', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `inv_conc_${String(i).padStart(2, '0')}`);
    await t.db
      .insertInto('billing.invoices')
      .values(
        ids.map((id) => ({
          id,
          legal_entity_id: 'LE-CONC',
          customer_id: 'cus_a',
          project_id: 'prj_conc',
          currency: 'USD',
          subtotal_minor: 100,
          tax_minor: 0,
          total_minor: 100,
        })),
      )
      .execute();
    const results = await Promise.all(ids.map((id) => execute(billing, ISSUE, { id, d: '2026-12-01' })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const numbers = results.map((r) => r.data.issueInvoice.number).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `CONC-2026-${String(i + 1).padStart(6, '0')}`));
    const seqRow = await t.db
      .selectFrom('billing.number_sequences')
      .selectAll()
      .where('legal_entity_id', '=', 'LE-CONC')
      .executeTakeFirstOrThrow();
    expect(seqRow).toMatchObject({ document_type: 'INVOICE', prefix: 'CONC', next_number: 21 });
  });

  it('issueInvoice: NOT_FOUND for an unknown invoice', async () => {
    expect(codes(await execute(billing, ISSUE, { id: 'inv_nope', d: '2026-12-01' }))).toEqual(['NOT_FOUND']);
  });
});

describe('billing: milestone invoices', () => {
  const MS = `mutation($m: ID!, $asOf: Date, $bp: Int) { createMilestoneInvoice(milestoneId: $m, asOf: $asOf, taxRateBp: $bp) { id status total { amount } lines { kind quantity amount { amount } tax { amount } milestone { id status } } } }`;

  it('createMilestoneInvoice: BAD_USER_INPUT for a milestone not due yet, and nothing is written', async () => {
    const before = await countInvoices();
    expect(codes(await execute(billing, MS, { m: 'mst_later', asOf: '2026-12-01' }))).toEqual(['BAD_USER_INPUT']);
    expect(await countInvoices()).toBe(before);
    expect(
      (await t.db.selectFrom('billing.milestones').select('status').where('id', '=', 'mst_later').executeTakeFirstOrThrow()).status,
    ).toBe('PLANNED');
  });

  it('createMilestoneInvoice bills a due milestone on one MILESTONE line and marks it INVOICED', async () => {
    const res = await execute(billing, MS, { m: 'mst_later', asOf: '2027-03-01', bp: 1900 });
    expect(res.errors).toBeUndefined();
    expect(res.data.createMilestoneInvoice).toMatchObject({
      status: 'DRAFT',
      total: { amount: '29750.00' },
      lines: [
        {
          kind: 'MILESTONE',
          quantity: 1,
          amount: { amount: '25000.00' },
          tax: { amount: '4750.00' },
          milestone: { id: 'mst_later', status: 'INVOICED' },
        },
      ],
    });
  });

  it('createMilestoneInvoice: INVALID_STATE_TRANSITION for a milestone already invoiced, and nothing is written', async () => {
    const before = await countInvoices();
    expect(codes(await execute(billing, MS, { m: 'mst_later', asOf: '2027-03-01' }))).toEqual(['INVALID_STATE_TRANSITION']);
    expect(await countInvoices()).toBe(before);
  });
});

describe('billing: voiding', () => {
  const VOID = `mutation($id: ID!) { voidInvoice(id: $id) { id status number } }`;

  it('voidInvoice voids a draft and releases its items to UNBILLED and its milestone to PLANNED', async () => {
    const timeDraft = await execute(billing, DRAFT, { p: 'prj_void', through: '2026-11-30' });
    const msDraft = await execute(billing, `mutation { createMilestoneInvoice(milestoneId: "mst_void", asOf: "2026-11-30") { id } }`);
    for (const id of [timeDraft.data.createDraftInvoice.id, msDraft.data.createMilestoneInvoice.id]) {
      const res = await execute(billing, VOID, { id });
      expect(res.data.voidInvoice).toEqual({ id, status: 'VOID', number: null });
    }
    const released = await t.db
      .selectFrom('billing.billable_items')
      .select(['status', 'invoice_line_id'])
      .where('project_id', '=', 'prj_void')
      .execute();
    expect(released).toEqual([{ status: 'UNBILLED', invoice_line_id: null }]);
    expect(
      (await t.db.selectFrom('billing.milestones').select('status').where('id', '=', 'mst_void').executeTakeFirstOrThrow()).status,
    ).toBe('PLANNED');
    // Billed again by the next run.
    expect((await execute(billing, DRAFT, { p: 'prj_void', through: '2026-11-30' })).errors).toBeUndefined();
  });

  it('voidInvoice: INVALID_STATE_TRANSITION for an issued invoice, which keeps its status and items', async () => {
    const issued = await t.db.selectFrom('billing.invoices').select('id').where('number', '=', 'US-2026-000001').executeTakeFirstOrThrow();
    expect(codes(await execute(billing, VOID, { id: issued.id }))).toEqual(['INVALID_STATE_TRANSITION']);
    expect((await t.db.selectFrom('billing.invoices').select('status').where('id', '=', issued.id).executeTakeFirstOrThrow()).status).toBe(
      'ISSUED',
    );
    const items = await t.db
      .selectFrom('billing.billable_items')
      .select('status')
      .where('project_id', '=', 'prj_a')
      .where('status', '=', 'INVOICED')
      .execute();
    expect(items).toHaveLength(4);
  });

  it('issueInvoice: INVALID_STATE_TRANSITION for a void invoice, and no number is taken', async () => {
    const voided = await t.db.selectFrom('billing.invoices').select('id').where('status', '=', 'VOID').executeTakeFirstOrThrow();
    const seqBefore = await t.db
      .selectFrom('billing.number_sequences')
      .select('next_number')
      .where('legal_entity_id', '=', 'LE-US')
      .executeTakeFirstOrThrow();
    expect(codes(await execute(billing, ISSUE, { id: voided.id, d: '2026-12-01' }))).toEqual(['INVALID_STATE_TRANSITION']);
    const seqAfter = await t.db
      .selectFrom('billing.number_sequences')
      .select('next_number')
      .where('legal_entity_id', '=', 'LE-US')
      .executeTakeFirstOrThrow();
    expect(seqAfter).toEqual(seqBefore);
  });
});
