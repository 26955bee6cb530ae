import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerPolicy } from '../../lib/ledger-policy.ts';
import { applyCreditMemo, recordPayment, upsertCustomerFinancialMaster } from '../../subgraphs/erp/api/index.ts';
import { createErpSubgraph } from '../../subgraphs/erp/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testMapping } from '../support/mapping.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let erp: ReturnType<typeof createErpSubgraph>;
// US01 gets the accounts of LE-US; this file pins the strict policies its refusals are about (a firm
// may refuse overpayments and posting into closed periods). The default policies have their own tests.
const strict = testMapping({ US01: 'LE-US' }, { overpayment: 'REFUSE' }, 'FAIL');
const policy = ledgerPolicy(strict);

beforeAll(async () => {
  t = await createTestDatabase();
  erp = createErpSubgraph(t.db, { mapping: strict });
  await t.db
    .insertInto('erp.legal_entities')
    .values([{ id: 'US01', name: 'Ledgerline US Inc', country: 'US', functional_currency: 'USD' }])
    .execute();
  await t.db
    .insertInto('erp.accounts')
    .values([
      { legal_entity_id: 'US01', code: '1000', name: 'Cash', type: 'ASSET' },
      { legal_entity_id: 'US01', code: '1010', name: 'Cash EUR', type: 'ASSET' },
      { legal_entity_id: 'US01', code: '1200', name: 'Accounts receivable', type: 'ASSET' },
      { legal_entity_id: 'US01', code: '2200', name: 'Tax payable', type: 'LIABILITY' },
      { legal_entity_id: 'US01', code: '2300', name: 'Customer credits', type: 'LIABILITY' },
      { legal_entity_id: 'US01', code: '4000', name: 'Revenue', type: 'REVENUE' },
      { legal_entity_id: 'US01', code: '6100', name: 'Bad debt', type: 'EXPENSE' },
      { legal_entity_id: 'US01', code: '7100', name: 'Realized FX', type: 'EXPENSE' },
      { legal_entity_id: 'US01', code: '7900', name: 'Rounding', type: 'EXPENSE' },
    ])
    .execute();
  await t.db
    .insertInto('erp.periods')
    .values([
      {
        id: 'per_01',
        legal_entity_id: 'US01',
        code: '2026-01',
        start_date: '2026-01-01',
        end_date: '2026-01-31',
        status: 'CLOSED',
        closed_at: new Date(),
      },
      { id: 'per_02', legal_entity_id: 'US01', code: '2026-02', start_date: '2026-02-01', end_date: '2026-02-28', status: 'OPEN' },
    ])
    .execute();
  await t.db
    .insertInto('erp.fx_rates')
    .values([{ from_currency: 'EUR', to_currency: 'USD', rate_date: '2026-01-01', rate: '1.10000000' }])
    .execute();
});
afterAll(async () => t.drop());

const RECEIVABLE = `mutation($input: CreateReceivableInput!) { createReceivable(input: $input) { id status invoiceNumber amount { amount currency } openBalance { amount } dueDate invoice { id } customer { id } } }`;
const receivable = (over: Record<string, unknown> = {}) => ({
  invoiceId: 'inv_1',
  invoiceNumber: 'US-2026-0001',
  customerId: 'cus_a',
  legalEntityId: 'US01',
  projectId: 'prj_1',
  currency: 'USD',
  amount: '1000.00',
  issueDate: '2026-02-01',
  dueDate: '2026-03-03',
  ...over,
});
const PAY = `mutation($input: RecordPaymentInput!, $options: PaymentPostingOptions) {
  recordPayment(input: $input, options: $options) { id externalRef amount { amount currency } receivedOn receivable { status openBalance { amount } }
    journalEntry { source { type } lines { account { code } debit { amount } credit { amount } customer { id } project { id } } } } }`;

async function rows() {
  const n = async (table: 'erp.receivables' | 'erp.payments' | 'erp.journal_entries') =>
    (await t.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
  const open = await t.db.selectFrom('erp.receivables').select(['invoice_id', 'open_minor', 'status']).orderBy('invoice_id').execute();
  return { receivables: await n('erp.receivables'), payments: await n('erp.payments'), entries: await n('erp.journal_entries'), open };
}

describe('erp receivables', () => {
  it('createReceivable opens a receivable and is idempotent on the invoice id', async () => {
    const first = await execute(erp, RECEIVABLE, { input: receivable() });
    expect(first.errors).toBeUndefined();
    expect(first.data.createReceivable).toMatchObject({
      status: 'OPEN',
      amount: { amount: '1000.00', currency: 'USD' },
      openBalance: { amount: '1000.00' },
      invoice: { id: 'inv_1' },
      customer: { id: 'cus_a' },
    });
    const before = await rows();
    const again = await execute(erp, RECEIVABLE, { input: receivable({ amount: '5.00', invoiceNumber: 'OTHER' }) });
    expect(again.data.createReceivable).toEqual(first.data.createReceivable);
    expect(await rows()).toEqual(before);
  });

  it('createReceivable: NOT_FOUND legal entity, INVALID_MONEY amount, BAD_USER_INPUT due before issue; nothing written', async () => {
    const before = await rows();
    expect(codes(await execute(erp, RECEIVABLE, { input: receivable({ invoiceId: 'inv_x', legalEntityId: 'XX' }) }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await execute(erp, RECEIVABLE, { input: receivable({ invoiceId: 'inv_x', amount: '0' }) }))).toEqual(['INVALID_MONEY']);
    expect(codes(await execute(erp, RECEIVABLE, { input: receivable({ invoiceId: 'inv_x', amount: '1.234' }) }))).toEqual([
      'INVALID_MONEY',
    ]);
    expect(codes(await execute(erp, RECEIVABLE, { input: receivable({ invoiceId: 'inv_x', dueDate: '2026-01-01' }) }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await execute(erp, RECEIVABLE, { input: receivable({ invoiceId: 'inv_x', journalEntryId: 'je_nope' }) }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(await rows()).toEqual(before);
  });

  const memo = (id: string, invoiceId: string, amountMinor: number, taxMinor = 0) => ({
    creditMemoId: id,
    creditMemoNumber: `CM-${id}`,
    invoiceId,
    issueDate: '2026-02-10',
    reason: 'Goodwill',
    lines: [{ invoiceLineId: `il_${invoiceId}`, accountCode: '4000', serviceLine: 'ADVISORY', amountMinor }],
    taxMinor,
  });

  it('a credit memo lowers the receivable together with its journal, CREDITED at zero; the same memo again changes nothing', async () => {
    await execute(erp, RECEIVABLE, { input: receivable({ invoiceId: 'inv_cm', amount: '300.00' }) });
    const first = await applyCreditMemo(t.db, memo('cm_1', 'inv_cm', 8000, 2000), policy);
    expect([first.receivable.status, first.receivable.open_minor]).toEqual(['OPEN', 20000]);
    const lines = await t.db
      .selectFrom('erp.journal_lines')
      .selectAll()
      .where('journal_entry_id', '=', first.entry.id)
      .orderBy('line_no')
      .execute();
    expect(lines.map((l) => [l.account_code, l.debit_minor, l.credit_minor, l.source_line_type, l.source_line_id])).toEqual([
      ['4000', 8000, 0, 'INVOICE_LINE', 'il_inv_cm'],
      ['2200', 2000, 0, 'CREDIT_MEMO_TAX', 'cm_1'],
      ['1200', 0, 10000, 'INVOICE', 'inv_cm'],
    ]);
    const before = await rows();
    expect((await applyCreditMemo(t.db, memo('cm_1', 'inv_cm', 8000, 2000), policy)).entry.id).toBe(first.entry.id);
    expect(await rows()).toEqual(before);
    const rest = await applyCreditMemo(t.db, memo('cm_2', 'inv_cm', 20000), policy);
    expect([rest.receivable.status, rest.receivable.open_minor, rest.receivable.credited_minor]).toEqual(['CREDITED', 0, 30000]);
  });

  it('a credit memo: CREDIT_EXCEEDS_INVOICE above what is left to credit, NOT_FOUND for an unknown invoice; nothing written', async () => {
    await execute(erp, RECEIVABLE, { input: receivable({ invoiceId: 'inv_cm2', amount: '50.00' }) });
    const before = await rows();
    await expect(applyCreditMemo(t.db, memo('cm_3', 'inv_cm2', 5001), policy)).rejects.toMatchObject({
      extensions: { code: 'CREDIT_EXCEEDS_INVOICE' },
    });
    await expect(applyCreditMemo(t.db, memo('cm_4', 'inv_none', 100), policy)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(await rows()).toEqual(before);
  });
});

describe('erp recordPayment', () => {
  beforeAll(async () => {
    await execute(erp, RECEIVABLE, { input: receivable({ invoiceId: 'inv_pay', amount: '500.00' }) });
  });

  it('records a partial payment: PARTIALLY_PAID and a cash journal (debit cash, credit AR) in the same transaction', async () => {
    const res = await execute(erp, PAY, {
      input: { externalRef: 'bank-1', invoiceId: 'inv_pay', amount: '200.00', receivedOn: '2026-02-10' },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.recordPayment).toMatchObject({
      externalRef: 'bank-1',
      amount: { amount: '200.00', currency: 'USD' },
      receivable: { status: 'PARTIALLY_PAID', openBalance: { amount: '300.00' } },
    });
    expect(res.data.recordPayment.journalEntry).toEqual({
      source: { type: 'PAYMENT' },
      lines: [
        {
          account: { code: '1000' },
          debit: { amount: '200.00' },
          credit: { amount: '0.00' },
          customer: { id: 'cus_a' },
          project: { id: 'prj_1' },
        },
        {
          account: { code: '1200' },
          debit: { amount: '0.00' },
          credit: { amount: '200.00' },
          customer: { id: 'cus_a' },
          project: { id: 'prj_1' },
        },
      ],
    });
  });

  it('is idempotent on externalRef: the same payment again returns it; another one under the reference is refused and writes nothing', async () => {
    const before = await rows();
    const same = await execute(erp, PAY, {
      input: { externalRef: 'bank-1', invoiceId: 'inv_pay', amount: '200.00', receivedOn: '2026-02-10' },
    });
    expect(same.data.recordPayment).toMatchObject({ externalRef: 'bank-1', amount: { amount: '200.00' }, receivedOn: '2026-02-10' });
    const other = await execute(erp, PAY, {
      input: { externalRef: 'bank-1', invoiceId: 'inv_pay', amount: '250.00', receivedOn: '2026-02-11' },
    });
    expect(codes(other)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await rows()).toEqual(before);
  });

  it('OVERPAYMENT: more than the open balance is refused and nothing is written', async () => {
    const before = await rows();
    const res = await execute(erp, PAY, {
      input: { externalRef: 'bank-2', invoiceId: 'inv_pay', amount: '300.01', receivedOn: '2026-02-12' },
    });
    expect(codes(res)).toEqual(['OVERPAYMENT']);
    expect(res.errors![0]!.extensions).toMatchObject({ openBalance: '300.00' });
    expect(await rows()).toEqual(before);
  });

  it('UNKNOWN_ACCOUNT / PERIOD_CLOSED / NOT_FOUND from the cash journal roll back the payment and the receivable', async () => {
    const before = await rows();
    const base = { externalRef: 'bank-3', invoiceId: 'inv_pay', amount: '10.00', receivedOn: '2026-02-12' };
    expect(codes(await execute(erp, PAY, { input: base, options: { cashAccountCode: '9999' } }))).toEqual(['UNKNOWN_ACCOUNT']);
    expect(codes(await execute(erp, PAY, { input: { ...base, receivedOn: '2026-01-15' } }))).toEqual(['PERIOD_CLOSED']);
    expect(codes(await execute(erp, PAY, { input: { ...base, invoiceId: 'inv_none' } }))).toEqual(['NOT_FOUND']);
    expect(codes(await execute(erp, PAY, { input: { ...base, amount: '-1.00' } }))).toEqual(['INVALID_MONEY']);
    expect(await rows()).toEqual(before);
  });

  it('pays the rest with a configured cash account: PAID', async () => {
    const res = await execute(erp, PAY, {
      input: { externalRef: 'bank-4', invoiceId: 'inv_pay', amount: '300.00', receivedOn: '2026-02-15' },
      options: { cashAccountCode: '1010' },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.recordPayment.receivable).toEqual({ status: 'PAID', openBalance: { amount: '0.00' } });
    expect(res.data.recordPayment.journalEntry.lines[0].account.code).toBe('1010');
  });

  it('runs afterWrite in the same transaction: a failing callback leaves nothing behind', async () => {
    await execute(erp, RECEIVABLE, { input: receivable({ invoiceId: 'inv_cb', amount: '80.00' }) });
    const before = await rows();
    const seen: string[] = [];
    await expect(
      recordPayment(
        t.db,
        { externalRef: 'bank-cb', invoiceId: 'inv_cb', amount: '80.00', receivedOn: '2026-02-20' },
        { policy },
        async (trx, payment) => {
          const inside = await trx.selectFrom('erp.payments').select('id').where('id', '=', payment.id).executeTakeFirst();
          seen.push(inside!.id);
          throw new Error('billing sync enqueue failed');
        },
      ),
    ).rejects.toThrow('billing sync enqueue failed');
    expect(seen).toHaveLength(1);
    expect(await rows()).toEqual(before);
  });
});

describe('erp overpayments and refunds (the shipped policy: an overpayment is customer credit)', () => {
  let open: ReturnType<typeof createErpSubgraph>;
  const REFUND = `mutation($input: RefundCustomerCreditInput!) { refundCustomerCredit(input: $input) { id amount { amount } paidOn journalEntry { lines { account { code } debit { amount } credit { amount } sourceLine { type id } } } } }`;
  const credit = async () =>
    (await t.db.selectFrom('erp.customer_credit_balances').select('balance_minor').where('customer_id', '=', 'cus_over').executeTakeFirst())
      ?.balance_minor ?? 0;
  beforeAll(async () => {
    open = createErpSubgraph(t.db, { mapping: testMapping({ US01: 'LE-US' }) });
    await execute(open, RECEIVABLE, {
      input: receivable({ invoiceId: 'inv_over', customerId: 'cus_over', projectId: 'prj_over', amount: '100.00' }),
    });
  });

  it('a payment above the open balance settles the invoice and keeps the rest as customer credit: cash, AR and customer credit lines', async () => {
    const res = await execute(open, PAY, {
      input: { externalRef: 'bank-over', invoiceId: 'inv_over', amount: '130.00', receivedOn: '2026-02-12' },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.recordPayment.receivable).toEqual({ status: 'PAID', openBalance: { amount: '0.00' } });
    expect(res.data.recordPayment.journalEntry.lines.map((l: any) => [l.account.code, l.debit.amount, l.credit.amount])).toEqual([
      ['1000', '130.00', '0.00'],
      ['1200', '0.00', '100.00'],
      ['2300', '0.00', '30.00'],
    ]);
    expect(await credit()).toBe(3000);
  });

  it('a refund pays customer credit back (debit customer credit, credit cash), once per bank reference; never more than is held', async () => {
    const input = {
      customerId: 'cus_over',
      legalEntityId: 'US01',
      currency: 'USD',
      amount: '20.00',
      paidOn: '2026-02-13',
      externalRef: 'out-1',
    };
    const res = await execute(open, REFUND, { input });
    expect(res.errors).toBeUndefined();
    expect(res.data.refundCustomerCredit.journalEntry.lines).toEqual([
      {
        account: { code: '2300' },
        debit: { amount: '20.00' },
        credit: { amount: '0.00' },
        sourceLine: { type: 'CUSTOMER_CREDIT', id: 'cus_over' },
      },
      {
        account: { code: '1000' },
        debit: { amount: '0.00' },
        credit: { amount: '20.00' },
        sourceLine: { type: 'REFUND', id: res.data.refundCustomerCredit.id },
      },
    ]);
    expect((await execute(open, REFUND, { input })).data.refundCustomerCredit.id).toBe(res.data.refundCustomerCredit.id);
    expect(codes(await execute(open, REFUND, { input: { ...input, amount: '5.00' } }))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(codes(await execute(open, REFUND, { input: { ...input, externalRef: 'out-2', amount: '10.01' } }))).toEqual([
      'INSUFFICIENT_CUSTOMER_CREDIT',
    ]);
    expect(await credit()).toBe(1000);
  });
});

const MASTER = `mutation($id: ID!, $input: CustomerFinancialMasterInput!) { upsertCustomerFinancialMaster(customerId: $id, input: $input) {
  customer { id } name legalEntity { id functionalCurrency } currency taxCode paymentTermsDays creditLimit { amount currency } status } }`;
const master = (over: Record<string, unknown> = {}) => ({
  name: 'Acme Holdings Inc',
  legalEntityId: 'US01',
  currency: 'USD',
  taxCode: 'US-STD',
  paymentTermsDays: 30,
  creditLimit: '50000.00',
  ...over,
});

describe('erp customer financial master and contract refs', () => {
  const count = async () => (await t.db.selectFrom('erp.customer_masters').selectAll().execute()).length;

  it('upsertCustomerFinancialMaster creates, then replaces, the master', async () => {
    const created = await execute(erp, MASTER, { id: 'cus_m', input: master() });
    expect(created.errors).toBeUndefined();
    expect(created.data.upsertCustomerFinancialMaster).toEqual({
      customer: { id: 'cus_m' },
      name: 'Acme Holdings Inc',
      legalEntity: { id: 'US01', functionalCurrency: 'USD' },
      currency: 'USD',
      taxCode: 'US-STD',
      paymentTermsDays: 30,
      creditLimit: { amount: '50000.00', currency: 'USD' },
      status: 'ACTIVE',
    });
    const updated = await execute(erp, MASTER, { id: 'cus_m', input: master({ paymentTermsDays: 45, status: 'ON_HOLD' }) });
    expect(updated.data.upsertCustomerFinancialMaster).toMatchObject({ paymentTermsDays: 45, status: 'ON_HOLD' });
    expect(await count()).toBe(1);
  });

  it('upsertCustomerFinancialMaster: NOT_FOUND legal entity, INVALID_MONEY currency, BAD_USER_INPUT terms outside 0..365; nothing written', async () => {
    const before = await t.db.selectFrom('erp.customer_masters').selectAll().execute();
    expect(codes(await execute(erp, MASTER, { id: 'cus_m', input: master({ legalEntityId: 'XX' }) }))).toEqual(['NOT_FOUND']);
    expect(codes(await execute(erp, MASTER, { id: 'cus_m', input: master({ currency: 'ABC' }) }))).toEqual(['INVALID_MONEY']);
    expect(codes(await execute(erp, MASTER, { id: 'cus_m', input: master({ paymentTermsDays: 366 }) }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await execute(erp, MASTER, { id: 'cus_m', input: master({ paymentTermsDays: -1 }) }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await execute(erp, MASTER, { id: 'cus_m', input: master({ creditLimit: '-5.00' }) }))).toEqual(['INVALID_MONEY']);
    expect(await t.db.selectFrom('erp.customer_masters').selectAll().execute()).toEqual(before);
  });

  it('upsertCustomerFinancialMaster runs afterWrite inside its transaction', async () => {
    let seen: string | undefined;
    await upsertCustomerFinancialMaster(t.db, 'cus_hook', master(), async (trx, m) => {
      seen = (await trx.selectFrom('erp.customer_masters').select('name').where('customer_id', '=', m.customer_id).executeTakeFirst())
        ?.name;
    });
    expect(seen).toBe('Acme Holdings Inc');
    await expect(
      upsertCustomerFinancialMaster(t.db, 'cus_hook2', master(), async () => Promise.reject(new Error('sync down'))),
    ).rejects.toThrow('sync down');
    expect(
      await t.db.selectFrom('erp.customer_masters').select('customer_id').where('customer_id', '=', 'cus_hook2').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('upsertContractRef is idempotent on the contract id; a project cannot join a second contract (DUPLICATE)', async () => {
    const q = `mutation($input: ContractRefInput!) { upsertContractRef(input: $input) { contractId project { id } customer { id } legalEntity { id } currency serviceLine } }`;
    const input = {
      contractId: 'ctr_1',
      projectId: 'prj_c',
      customerId: 'cus_a',
      legalEntityId: 'US01',
      currency: 'USD',
      serviceLine: 'ADVISORY',
    };
    const first = await execute(erp, q, { input });
    expect(first.errors).toBeUndefined();
    expect((await execute(erp, q, { input })).data).toEqual(first.data);
    expect((await execute(erp, q, { input: { ...input, serviceLine: 'ENGINEERING' } })).data.upsertContractRef.serviceLine).toBe(
      'ENGINEERING',
    );
    expect(codes(await execute(erp, q, { input: { ...input, contractId: 'ctr_2' } }))).toEqual(['DUPLICATE']);
    expect(codes(await execute(erp, q, { input: { ...input, contractId: 'ctr_3', projectId: 'prj_d', legalEntityId: 'XX' } }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(await t.db.selectFrom('erp.contract_refs').select('contract_id').execute()).toEqual([{ contract_id: 'ctr_1' }]);
  });
});
