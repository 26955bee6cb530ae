import type { GenContext } from './context.ts';

/** Credit limits are kept to round amounts of 10,000.00. */
const STEP = 1_000_000;

/**
 * Credit limits that fit the demo firm: a won deal is activated only while the customer's open
 * receivables plus the deal stay within its limit (mapping money.creditControl, docs/money.md). Each
 * master's limit covers its open receivables and every deal still in its pipeline, with a quarter to
 * spare, so winning any demo deal activates it; the random limits drawn before are kept when higher.
 */
export function fitCreditLimits(ctx: GenContext): void {
  const t = ctx.tables;
  const exposure = new Map<string, number>();
  const add = (customerId: string, currency: string, minor: number) =>
    exposure.set(`${customerId}|${currency}`, (exposure.get(`${customerId}|${currency}`) ?? 0) + minor);
  for (const r of t['erp.receivables']) add(r.customer_id, r.currency, r.open_minor);
  for (const o of t['crm.opportunities']) {
    if (o.stage !== 'CLOSED_WON' && o.stage !== 'CLOSED_LOST') add(o.customer_id, o.currency, o.amount_minor);
  }
  for (const m of t['erp.customer_masters']) {
    const needed = Math.ceil(((exposure.get(`${m.customer_id}|${m.currency}`) ?? 0) * 1.25) / STEP) * STEP;
    m.credit_limit_minor = Math.max(m.credit_limit_minor, needed);
  }
}
