import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../sync/helpers.ts';
import { accountBalance, arOfInvoice, type MoneyWorld, startMoneyWorld } from './world.ts';

// A US entity invoicing a customer in EUR (issue 13, defects 2 and 3). 3 days x 6.25 h at 97.50 EUR
// with New York tax (8.88%) is 1,828.14 + 162.34 = 1,990.48 EUR; at 1.08337777 the parts and the
// total round differently by one cent, which used to land on AR.
let w: MoneyWorld;
const RATE_INVOICE = '1.08337777';

beforeAll(async () => {
  w = await startMoneyWorld();
  ok(await w.g.request(`mutation { setFxRate(from: "EUR", to: "USD", date: "2026-12-07", rate: "${RATE_INVOICE}") { rate } }`));
}, 120_000);
afterAll(async () => w?.stop());

async function eurInvoice(): Promise<{ customerId: string; projectId: string; invoiceId: string }> {
  const customerId = await w.customer({ legalEntityId: 'LE-US', currency: 'EUR', taxCode: 'US-NY' });
  const { projectId, resourceId } = await w.project({ customerId, currency: 'EUR', rate: '97.50' });
  await w.book(projectId, resourceId, [
    ['2026-11-30', 6.25],
    ['2026-12-01', 6.25],
    ['2026-12-02', 6.25],
  ]);
  const [invoiceId] = await w.bill(projectId, '2026-12-06', '2026-12-07');
  expect(invoiceId).toBeDefined();
  const inv = ok<any>(await w.g.request(`query($id: ID!) { invoice(id: $id) { total { minorUnits } } }`, { id: invoiceId }));
  expect(inv.invoice.total.minorUnits).toBe('199048');
  return { customerId, projectId, invoiceId: invoiceId! };
}

const receivable = async (invoiceId: string) =>
  ok<any>(
    await w.g.request(`query($id: ID!) { invoice(id: $id) { status receivable { status openBalance { minorUnits } } } }`, {
      id: invoiceId,
    }),
  ).invoice;

describe('foreign-currency receivables settle to zero in the functional currency', () => {
  it('an EUR invoice of a USD entity paid in full at the invoice rate leaves nothing on AR; the rounding sits on the rounding account', async () => {
    const { customerId, invoiceId } = await eurInvoice();
    await w.pay(invoiceId, '1990.48', '2026-12-07', `FX-SAME-${invoiceId}`);
    expect(await receivable(invoiceId)).toEqual({ status: 'PAID', receivable: { status: 'PAID', openBalance: { minorUnits: '0' } } });
    expect(await arOfInvoice(w, invoiceId)).toEqual({ entry: 0, functional: 0 });
    // The cent the conversion of the parts and of the total disagree on went somewhere: the rounding account.
    expect(Math.abs(await accountBalance(w, customerId, '7900'))).toBe(1);
    expect(await accountBalance(w, customerId, '7100')).toBe(0);
  });

  it('paid at another rate: AR is relieved at the invoice rate and the difference is a realized FX gain', async () => {
    const { customerId, invoiceId } = await eurInvoice();
    ok(await w.g.request(`mutation { setFxRate(from: "EUR", to: "USD", date: "2026-12-20", rate: "1.10000000") { rate } }`));
    await w.pay(invoiceId, '1990.48', '2026-12-21', `FX-GAIN-${invoiceId}`);
    expect(await arOfInvoice(w, invoiceId)).toEqual({ entry: 0, functional: 0 });
    // Cash at 1.10 is 2,189.53 USD; AR carried 1,990.48 EUR at 1.08337777 = 2,156.44 USD: a gain of 33.09.
    expect(await accountBalance(w, customerId, '1000')).toBe(218953);
    expect(await accountBalance(w, customerId, '7100')).toBe(-3309);
  });

  it('a full credit memo at a later rate reverses AR, revenue and tax at the invoice rate: all three end at zero', async () => {
    const { customerId, invoiceId } = await eurInvoice();
    ok(await w.g.request(`mutation { setFxRate(from: "EUR", to: "USD", date: "2026-12-28", rate: "1.15000000") { rate } }`));
    await w.credit(invoiceId, '2026-12-28');
    expect(await receivable(invoiceId)).toEqual({
      status: 'CREDITED',
      receivable: { status: 'CREDITED', openBalance: { minorUnits: '0' } },
    });
    expect(await arOfInvoice(w, invoiceId)).toEqual({ entry: 0, functional: 0 });
    expect(await accountBalance(w, customerId, '4100')).toBe(0);
    expect(await accountBalance(w, customerId, '2200')).toBe(0);
    expect(await accountBalance(w, customerId, '7900')).toBe(0);
  });
});
