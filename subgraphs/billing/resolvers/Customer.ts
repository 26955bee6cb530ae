import { money } from '../../../lib/money.ts';
import { type BillingContext, load } from '../context.ts';
import type { BillingSummaryRow } from '../data/summaries.ts';
import type { InvoiceStatus } from '../data/tables.ts';

const summary = (r: BillingSummaryRow) => ({
  currency: r.currency,
  unbilled: money(r.unbilled_minor, r.currency),
  invoiced: money(r.invoiced_minor, r.currency),
  paid: money(r.paid_minor, r.currency),
  credited: money(r.credited_minor, r.currency),
  openBalance: money(r.open_minor, r.currency),
});

export const CustomerResolvers = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  invoices: (c: { id: string }, args: { status?: InvoiceStatus | null }, ctx: BillingContext) =>
    load.invoicesOfCustomer(ctx, args.status).load(c.id),
  billingSummary: async (c: { id: string }, _: unknown, ctx: BillingContext) => (await load.billingSummary(ctx).load(c.id)).map(summary),
};
