import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../sync/helpers.ts';
import { accountBalance, arOfInvoice, type MoneyWorld, startMoneyWorld } from './world.ts';

// An invoice's balance lives in billing (the invoice) and in the erp (the receivable). The erp's
// receivable is authoritative; both settle from the same facts (lib/settlement.ts), and every
// operation that moves the balance takes the receivable's row lock (docs/money.md).
let w: MoneyWorld;

beforeAll(async () => {
  w = await startMoneyWorld();
}, 120_000);
afterAll(async () => w?.stop());

/** A USD invoice of LE-US: 3 x 8 h at 150.00 with New York tax = 3,600.00 + 319.68 = 3,919.68. */
async function usdInvoice(): Promise<{ customerId: string; projectId: string; invoiceId: string; entryIds: string[] }> {
  const customerId = await w.customer({ legalEntityId: 'LE-US', currency: 'USD', taxCode: 'US-NY' });
  const { projectId, resourceId } = await w.project({ customerId, currency: 'USD', rate: '150.00' });
  const entryIds = await w.book(projectId, resourceId, [
    ['2026-11-23', 8],
    ['2026-11-24', 8],
    ['2026-11-25', 8],
  ]);
  const [invoiceId] = await w.bill(projectId, '2026-11-25', '2026-11-26');
  expect(invoiceId).toBeDefined();
  return { customerId, projectId, invoiceId: invoiceId!, entryIds };
}

const balances = async (invoiceId: string) => {
  const r = ok<any>(
    await w.g.request(
      `query($id: ID!) { invoice(id: $id) { status openBalance { minorUnits } receivable { status openBalance { minorUnits } } } }`,
      { id: invoiceId },
    ),
  ).invoice;
  return {
    billing: [r.status === 'ISSUED' ? 'OPEN' : r.status, r.openBalance.minorUnits],
    erp: [r.receivable.status, r.receivable.openBalance.minorUnits],
  };
};

const jobsOf = (kind: string, sourceId: string) =>
  w.sql(`select status from sync.jobs where kind = $1 and source_id = $2`, [kind, sourceId]);

describe('one balance, two copies', () => {
  it('a payment and a full credit memo at the same moment: both post, both copies agree, the cash is held as customer credit', async () => {
    const { customerId, invoiceId } = await usdInvoice();
    const inv = ok<any>(await w.g.request(`query($id: ID!) { invoice(id: $id) { lines { id amount { amount } } } }`, { id: invoiceId }));
    const [pay, memo] = await Promise.all([
      w.g.request(`mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }`, {
        input: { externalRef: `RACE-${invoiceId}`, invoiceId, amount: '3919.68', receivedOn: '2026-11-27' },
      }),
      w.g.request(`mutation($input: IssueCreditMemoInput!) { issueCreditMemo(input: $input) { creditMemo { id } } }`, {
        input: {
          invoiceId,
          lines: inv.invoice.lines.map((l: any) => ({ invoiceLineId: l.id, amount: l.amount.amount })),
          reason: 'Cancelled engagement',
          timeDisposition: 'WRITE_OFF',
          issueDate: '2026-11-27',
        },
      }),
    ]);
    const paymentId = ok<any>(pay).recordPayment.id;
    const memoId = ok<any>(memo).issueCreditMemo.creditMemo.id;
    await w.settled();
    expect((await jobsOf('PAYMENT_RECEIVED', paymentId)).map((j) => j.status)).toEqual(['SUCCEEDED']);
    expect((await jobsOf('CREDIT_MEMO_ISSUED', memoId)).map((j) => j.status)).toEqual(['SUCCEEDED']);
    expect(await balances(invoiceId)).toEqual({ billing: ['CREDITED', '0'], erp: ['CREDITED', '0'] });
    expect(await arOfInvoice(w, invoiceId)).toEqual({ entry: 0, functional: 0 });
    // The customer paid for an invoice that was cancelled: the erp owes the cash back.
    expect(await accountBalance(w, customerId, '2300')).toBe(-391968);
  });

  it('a partial payment and a credit for the rest: PAID in both systems', async () => {
    const { invoiceId } = await usdInvoice();
    await w.pay(invoiceId, '1919.69', '2026-11-27', `PART-${invoiceId}`);
    expect(await balances(invoiceId)).toEqual({ billing: ['PARTIALLY_PAID', '199999'], erp: ['PARTIALLY_PAID', '199999'] });
    // 1,836.88 with its proportional tax (163.11) is exactly the 1,999.99 still open.
    await w.credit(invoiceId, '2026-11-28', { amounts: ['1836.88'] });
    expect(await balances(invoiceId)).toEqual({ billing: ['PAID', '0'], erp: ['PAID', '0'] });
    expect(await arOfInvoice(w, invoiceId)).toEqual({ entry: 0, functional: 0 });
  });

  it('a bank reference reused with another amount or invoice is refused, like an idempotency key; the same payment again is the first one', async () => {
    const { invoiceId } = await usdInvoice();
    const other = await usdInvoice();
    const PAY = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id amount { amount } } }`;
    const base = { externalRef: `REF-${invoiceId}`, invoiceId, amount: '100.00', receivedOn: '2026-11-27' };
    const first = ok<any>(await w.g.request(PAY, { input: base })).recordPayment;
    expect(ok<any>(await w.g.request(PAY, { input: base })).recordPayment.id).toBe(first.id);
    for (const change of [{ amount: '250.00' }, { invoiceId: other.invoiceId }, { receivedOn: '2026-11-28' }]) {
      const res = await w.g.request(PAY, { input: { ...base, ...change } });
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    }
    await w.settled();
    const payments = await w.sql(`select count(*)::int n from erp.payments where external_ref = $1`, [base.externalRef]);
    expect(payments[0].n).toBe(1);
    expect((await balances(other.invoiceId)).erp).toEqual(['OPEN', '391968']);
  });

  it('every line a live posting writes names its source line; every AR line names its invoice', async () => {
    const { invoiceId, customerId } = await usdInvoice();
    const paymentId = await w.pay(invoiceId, '919.68', '2026-11-27', `LINEAGE-${invoiceId}`);
    const memoId = await w.credit(invoiceId, '2026-11-28', { amounts: ['100.00'] });
    const lines = await w.sql(
      `select e.source_type, l.account_code, l.source_line_type, l.source_line_id
         from erp.journal_lines l join erp.journal_entries e on e.id = l.journal_entry_id
        where e.source_id = any($1)`,
      [[invoiceId, paymentId, memoId]],
    );
    expect(new Set(lines.map((l) => l.source_type))).toEqual(new Set(['INVOICE', 'PAYMENT', 'CREDIT_MEMO']));
    expect(lines.filter((l) => l.source_line_type === null)).toEqual([]);
    const ar = lines.filter((l) => l.account_code === '1200');
    expect(ar).toHaveLength(3);
    for (const l of ar) expect([l.source_line_type, l.source_line_id]).toEqual(['INVOICE', invoiceId]);
    const cost = await w.sql(
      `select l.source_line_type from erp.journal_lines l join erp.journal_entries e on e.id = l.journal_entry_id
        where e.source_type = 'PROJECT_COST' and l.customer_id = $1`,
      [customerId],
    );
    expect(cost.length).toBeGreaterThan(0);
    expect(cost.filter((l) => l.source_line_type === null)).toEqual([]);
  });

  it('a receivable cannot be lowered without its journal: reduceReceivable is gone, the balance stays', async () => {
    const { invoiceId } = await usdInvoice();
    const res = await w.g.request(`mutation($id: ID!) { reduceReceivable(invoiceId: $id, amount: "100.00") { status } }`, {
      id: invoiceId,
    });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await balances(invoiceId)).toEqual({ billing: ['OPEN', '391968'], erp: ['OPEN', '391968'] });
    expect(await arOfInvoice(w, invoiceId)).toEqual({ entry: 391968, functional: 391968 });
  });

  it('a bad-debt write-off closes both copies (WRITTEN_OFF); cash that arrives later recovers it first', async () => {
    const { customerId, invoiceId } = await usdInvoice();
    await w.pay(invoiceId, '919.68', '2026-11-27', `BAD-${invoiceId}`);
    ok(
      await w.g.request(`mutation($input: WriteOffReceivableInput!) { writeOffReceivable(input: $input) { id } }`, {
        input: { invoiceId, amount: '3000.00', date: '2026-11-28', reason: 'Customer insolvent' },
      }),
    );
    await w.settled();
    expect(await balances(invoiceId)).toEqual({ billing: ['WRITTEN_OFF', '0'], erp: ['WRITTEN_OFF', '0'] });
    expect(await accountBalance(w, customerId, '6100')).toBe(300000);
    // The administrator pays 1,000.00 after all: 1,000.00 of the bad debt is recovered (6100 falls to 2,000.00).
    await w.pay(invoiceId, '1000.00', '2026-11-30', `RECOVERY-${invoiceId}`);
    expect(await balances(invoiceId)).toEqual({ billing: ['WRITTEN_OFF', '0'], erp: ['WRITTEN_OFF', '0'] });
    expect(await accountBalance(w, customerId, '6100')).toBe(200000);
    expect(await arOfInvoice(w, invoiceId)).toEqual({ entry: 0, functional: 0 });
    const refused = await w.g.request(`mutation($input: WriteOffReceivableInput!) { writeOffReceivable(input: $input) { id } }`, {
      input: { invoiceId, amount: '0.01', date: '2026-11-30', reason: 'Nothing left' },
    });
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['WRITE_OFF_EXCEEDS_OPEN']);
  });
});
