import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDraftInvoice, issueCreditMemo, issueInvoice } from '../../subgraphs/billing/api/index.ts';
import { createBillingSubgraph } from '../../subgraphs/billing/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let billing: ReturnType<typeof createBillingSubgraph>;
let invA: { id: string; lines: string[] };
let invB: { id: string; lines: string[] };

const rule = (projectId: string, customerId = 'cus_a') => ({
  project_id: projectId,
  customer_id: customerId,
  contract_id: `ctr_${projectId}`,
  legal_entity_id: 'LE-US',
  billing_model: 'TIME_AND_MATERIALS',
  currency: 'USD',
  service_line: 'ADVISORY',
});
const item = (sourceId: string, projectId: string, role: string, rate: number, minutes: number, customerId = 'cus_a') => ({
  id: `bil_${sourceId}`,
  source_type: 'TIME_ENTRY',
  source_id: sourceId,
  project_id: projectId,
  customer_id: customerId,
  resource_id: 'res_1',
  role,
  work_date: '2026-11-02',
  source_minutes: minutes,
  minutes,
  rate_minor: rate,
  rate_source: 'RATE_CARD_ROLE',
  amount_minor: (rate * minutes) / 60,
  currency: 'USD',
});

async function issued(projectId: string, taxRateBp: number) {
  const draft = await createDraftInvoice(t.db, { projectId, through: '2026-11-30', taxRateBp });
  await issueInvoice(t.db, draft.id, '2026-12-01', new Date('2026-12-01T09:00:00Z'));
  const lines = await t.db.selectFrom('billing.invoice_lines').select('id').where('invoice_id', '=', draft.id).orderBy('line_no').execute();
  return { id: draft.id, lines: lines.map((l: { id: string }) => l.id) };
}

beforeAll(async () => {
  t = await createTestDatabase();
  billing = createBillingSubgraph(t.db);
  await t.db
    .insertInto('billing.accounts')
    .values([
      { customer_id: 'cus_a', name: 'Acme', legal_entity_id: 'LE-US', currency: 'USD', payment_terms_days: 30, tax_code: 'DE-VAT19' },
      // The tax rate is the customer's tax code's (mapping file): B's customer is exempt.
      { customer_id: 'cus_x', name: 'Exempt', legal_entity_id: 'LE-US', currency: 'USD', payment_terms_days: 30, tax_code: 'US-EXEMPT' },
    ])
    .execute();
  await t.db
    .insertInto('billing.rules')
    .values([rule('prj_c1'), rule('prj_c2', 'cus_x'), rule('prj_c3')])
    .execute();
  await t.db
    .insertInto('billing.billable_items')
    .values([
      item('te_c1', 'prj_c1', 'CONSULTANT', 10000, 180),
      item('te_c2', 'prj_c1', 'CONSULTANT', 10000, 60),
      item('te_c3', 'prj_c1', 'MANAGER', 20000, 60),
      item('te_p1', 'prj_c2', 'CONSULTANT', 10000, 600, 'cus_x'),
      item('te_x1', 'prj_c3', 'CONSULTANT', 10000, 60),
    ])
    .execute();
  // A: line 1 = 400.00 + 76.00 tax, line 2 = 200.00 + 38.00 tax; total 714.00.
  invA = await issued('prj_c1', 1900);
  // B: one line of 1,000.00, no tax.
  invB = await issued('prj_c2', 0);
});
afterAll(async () => t.drop());

const CREDIT = `mutation($input: IssueCreditMemoInput!) { issueCreditMemo(input: $input) {
  affectedTimeEntryIds
  creditMemo { number reason timeDisposition subtotal { amount } tax { amount } total { amount } legalEntity { id }
    lines { amount { amount } tax { amount } invoiceLine { lineNo credited { amount } } }
    invoice { status credited { amount } openBalance { amount } } } } }`;
const credit = (invoiceId: string, lines: { invoiceLineId: string; amount: string }[], timeDisposition = 'UNBILL') => ({
  input: { invoiceId, lines, reason: 'Disputed hours', timeDisposition, issueDate: '2026-12-10' },
});
const PAY = `mutation($input: ApplyPaymentInput!) { applyPayment(input: $input) { status paid { amount } credited { amount } openBalance { amount } payments { erpPaymentId amount { amount } receivedOn } } }`;
const pay = (invoiceId: string, erpPaymentId: string, amount: string) => ({
  input: { invoiceId, erpPaymentId, amount, receivedOn: '2026-12-20' },
});
const count = async (table: string) =>
  Number((await t.db.selectFrom(table).select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('billing: credit memos', () => {
  it('issueCreditMemo credits part of a line, reverses tax in proportion (rounded half up) and numbers the memo', async () => {
    const res = await execute(billing, CREDIT, credit(invA.id, [{ invoiceLineId: invA.lines[0], amount: '33.33' }]));
    expect(res.errors).toBeUndefined();
    // 76.00 x 33.33 / 400.00 = 6.33270 -> 6.33
    expect(res.data.issueCreditMemo).toEqual({
      affectedTimeEntryIds: [],
      creditMemo: {
        number: 'US-CM-2026-000001',
        reason: 'Disputed hours',
        timeDisposition: 'UNBILL',
        subtotal: { amount: '33.33' },
        tax: { amount: '6.33' },
        total: { amount: '39.66' },
        legalEntity: { id: 'LE-US' },
        lines: [{ amount: { amount: '33.33' }, tax: { amount: '6.33' }, invoiceLine: { lineNo: 1, credited: { amount: '33.33' } } }],
        invoice: { status: 'ISSUED', credited: { amount: '39.66' }, openBalance: { amount: '674.34' } },
      },
    });
    // A partial credit leaves all three items of the invoice billed.
    const items = await t.db.selectFrom('billing.billable_items').select('status').where('project_id', '=', 'prj_c1').execute();
    expect(items.map((i: { status: string }) => i.status)).toEqual(['INVOICED', 'INVOICED', 'INVOICED']);
  });

  it('issueCreditMemo: CREDIT_EXCEEDS_INVOICE beyond what is left on the line, and nothing is written', async () => {
    const memos = await count('billing.credit_memos');
    const seqBefore = await t.db
      .selectFrom('billing.number_sequences')
      .selectAll()
      .where('document_type', '=', 'CREDIT_MEMO')
      .executeTakeFirstOrThrow();
    const res = await execute(
      billing,
      CREDIT,
      credit(invA.id, [
        { invoiceLineId: invA.lines[1], amount: '10.00' },
        { invoiceLineId: invA.lines[0], amount: '366.68' },
      ]),
    );
    expect(codes(res)).toEqual(['CREDIT_EXCEEDS_INVOICE']);
    expect(res.errors![0].extensions).toMatchObject({ field: 'lines[1].amount', remaining: '366.67' });
    expect(await count('billing.credit_memos')).toBe(memos);
    const lines = await t.db
      .selectFrom('billing.invoice_lines')
      .select('credited_minor')
      .where('invoice_id', '=', invA.id)
      .orderBy('line_no')
      .execute();
    expect(lines.map((l: { credited_minor: number }) => l.credited_minor)).toEqual([3333, 0]);
    expect(
      await t.db.selectFrom('billing.number_sequences').selectAll().where('document_type', '=', 'CREDIT_MEMO').executeTakeFirstOrThrow(),
    ).toEqual(seqBefore);
  });

  it('issueCreditMemo completing a line reverses exactly the rest of its tax; UNBILL releases its time and reports the entries', async () => {
    const res = await execute(billing, CREDIT, credit(invA.id, [{ invoiceLineId: invA.lines[0], amount: '366.67' }]));
    expect(res.errors).toBeUndefined();
    const { creditMemo, affectedTimeEntryIds } = res.data.issueCreditMemo;
    // 76.00 - 6.33 already reversed = 69.67
    expect(creditMemo).toMatchObject({
      number: 'US-CM-2026-000002',
      tax: { amount: '69.67' },
      invoice: { status: 'ISSUED', credited: { amount: '476.00' }, openBalance: { amount: '238.00' } },
    });
    expect(affectedTimeEntryIds).toEqual(['te_c1', 'te_c2']);
    const items = await t.db
      .selectFrom('billing.billable_items')
      .select(['source_id', 'status', 'invoice_line_id'])
      .where('source_id', 'in', ['te_c1', 'te_c2', 'te_c3'])
      .orderBy('source_id')
      .execute();
    expect(items).toEqual([
      { source_id: 'te_c1', status: 'UNBILLED', invoice_line_id: null },
      { source_id: 'te_c2', status: 'UNBILLED', invoice_line_id: null },
      { source_id: 'te_c3', status: 'INVOICED', invoice_line_id: invA.lines[1] },
    ]);
  });

  it('issueCreditMemo runs afterWrite in its transaction: a failure there undoes the memo', async () => {
    const memos = await count('billing.credit_memos');
    let affected: string[] = [];
    await expect(
      issueCreditMemo(
        t.db,
        {
          invoiceId: invA.id,
          lines: [{ invoiceLineId: invA.lines[1], amountMinor: 20000 }],
          reason: 'x',
          timeDisposition: 'WRITE_OFF',
          issueDate: '2026-12-10',
        },
        async (_trx, r) => {
          affected = r.affectedTimeEntryIds;
          throw new Error('enqueue failed');
        },
      ),
    ).rejects.toThrow('enqueue failed');
    expect(affected).toEqual(['te_c3']);
    expect(await count('billing.credit_memos')).toBe(memos);
    expect(
      (await t.db.selectFrom('billing.billable_items').select('status').where('source_id', '=', 'te_c3').executeTakeFirstOrThrow()).status,
    ).toBe('INVOICED');
  });

  it('issueCreditMemo crediting the last of an invoice makes it CREDITED; WRITE_OFF writes the time off', async () => {
    const res = await execute(billing, CREDIT, credit(invA.id, [{ invoiceLineId: invA.lines[1], amount: '200.00' }], 'WRITE_OFF'));
    expect(res.errors).toBeUndefined();
    expect(res.data.issueCreditMemo.creditMemo).toMatchObject({
      number: 'US-CM-2026-000003',
      tax: { amount: '38.00' },
      invoice: { status: 'CREDITED', credited: { amount: '714.00' }, openBalance: { amount: '0.00' } },
    });
    expect(res.data.issueCreditMemo.affectedTimeEntryIds).toEqual(['te_c3']);
    expect(
      (await t.db.selectFrom('billing.billable_items').select('status').where('source_id', '=', 'te_c3').executeTakeFirstOrThrow()).status,
    ).toBe('WRITTEN_OFF');
  });

  it('issueCreditMemo: INVALID_STATE_TRANSITION for a credited invoice and for a draft, and nothing is written', async () => {
    const memos = await count('billing.credit_memos');
    expect(codes(await execute(billing, CREDIT, credit(invA.id, [{ invoiceLineId: invA.lines[1], amount: '1.00' }])))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
    // The unbilled time of A goes on a new draft.
    const draft = await createDraftInvoice(t.db, { projectId: 'prj_c1', through: '2026-11-30' });
    const line = await t.db.selectFrom('billing.invoice_lines').select('id').where('invoice_id', '=', draft.id).executeTakeFirstOrThrow();
    expect(codes(await execute(billing, CREDIT, credit(draft.id, [{ invoiceLineId: line.id, amount: '1.00' }])))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
    expect(await count('billing.credit_memos')).toBe(memos);
  });

  it('issueCreditMemo: NOT_FOUND for a line of another invoice', async () => {
    expect(codes(await execute(billing, CREDIT, credit(invB.id, [{ invoiceLineId: invA.lines[0], amount: '1.00' }])))).toEqual([
      'NOT_FOUND',
    ]);
  });
});

describe('billing: payments', () => {
  it('applyPayment records part of the total as PARTIALLY_PAID; the same erp payment again changes nothing', async () => {
    const res = await execute(billing, PAY, pay(invB.id, 'erp_pay_1', '400.00'));
    expect(res.errors).toBeUndefined();
    expect(res.data.applyPayment).toEqual({
      status: 'PARTIALLY_PAID',
      paid: { amount: '400.00' },
      credited: { amount: '0.00' },
      openBalance: { amount: '600.00' },
      payments: [{ erpPaymentId: 'erp_pay_1', amount: { amount: '400.00' }, receivedOn: '2026-12-20' }],
    });
    const replay = await execute(billing, PAY, pay(invB.id, 'erp_pay_1', '400.00'));
    expect(replay.data.applyPayment).toEqual(res.data.applyPayment);
    expect(await count('billing.invoice_payments')).toBe(1);
  });

  it('applyPayment: DUPLICATE for an erp payment already applied to another invoice; INVALID_STATE_TRANSITION on a draft', async () => {
    expect(codes(await execute(billing, PAY, pay(invA.id, 'erp_pay_1', '1.00')))).toEqual(['DUPLICATE']);
    const draft = await createDraftInvoice(t.db, { projectId: 'prj_c3', through: '2026-11-30' });
    expect(codes(await execute(billing, PAY, pay(draft.id, 'erp_pay_3', '1.00')))).toEqual(['INVALID_STATE_TRANSITION']);
    expect(await count('billing.invoice_payments')).toBe(1);
  });

  it('payments and credits that together cover the total make the invoice PAID', async () => {
    const c = await execute(billing, CREDIT, credit(invB.id, [{ invoiceLineId: invB.lines[0], amount: '100.00' }]));
    expect(c.data.issueCreditMemo.creditMemo.invoice).toEqual({
      status: 'PARTIALLY_PAID',
      credited: { amount: '100.00' },
      openBalance: { amount: '500.00' },
    });
    // Partly credited lines keep their time billed.
    expect(c.data.issueCreditMemo.affectedTimeEntryIds).toEqual([]);
    const res = await execute(billing, PAY, pay(invB.id, 'erp_pay_4', '500.00'));
    expect(res.data.applyPayment).toMatchObject({
      status: 'PAID',
      paid: { amount: '900.00' },
      credited: { amount: '100.00' },
      openBalance: { amount: '0.00' },
    });
  });

  // The erp receivable decides; billing's copy settles by the same rule (lib/settlement.ts): credits
  // first, then cash. Money already received is never refused or lost: what the invoice cannot take
  // is unapplied (the erp holds it as the customer's credit).
  const BALANCE = `query($id: ID!) { invoice(id: $id) { status paid { amount } credited { amount } received { amount } openBalance { amount } } }`;

  it('issueCreditMemo on a paid invoice pushes the cash it no longer needs off the invoice (refund or customer credit in the erp)', async () => {
    const res = await execute(billing, CREDIT, credit(invB.id, [{ invoiceLineId: invB.lines[0], amount: '700.00' }]));
    expect(res.errors).toBeUndefined();
    expect((await execute(billing, BALANCE, { id: invB.id })).data.invoice).toEqual({
      status: 'PAID',
      paid: { amount: '200.00' },
      credited: { amount: '800.00' },
      received: { amount: '900.00' },
      openBalance: { amount: '0.00' },
    });
  });

  it('applyPayment above what the invoice owes records the cash as received; the invoice takes none of it', async () => {
    const res = await execute(billing, PAY, pay(invB.id, 'erp_pay_5', '50.00'));
    expect(res.errors).toBeUndefined();
    expect(res.data.applyPayment).toMatchObject({ status: 'PAID', paid: { amount: '200.00' }, openBalance: { amount: '0.00' } });
    expect((await execute(billing, BALANCE, { id: invB.id })).data.invoice.received).toEqual({ amount: '950.00' });
  });
});
