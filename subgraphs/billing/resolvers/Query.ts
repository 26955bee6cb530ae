import { money } from '../../../lib/money.ts';
import type { PageArgs } from '../../../lib/pagination.ts';
import { type BillingContext, load } from '../context.ts';
import { type CreditMemoFilter, pageCreditMemos } from '../data/credit-memos.ts';
import { type InvoiceFilter, type InvoiceOrder, pageInvoices } from '../data/invoices.ts';
import { type BillableItemFilter, pageBillableItems } from '../data/items.ts';
import { type InvoiceTotalsRow, invoiceTotals } from '../data/summaries.ts';

const totals = (r: InvoiceTotalsRow) => ({
  currency: r.currency,
  count: r.count,
  subtotal: money(r.subtotal_minor, r.currency),
  tax: money(r.tax_minor, r.currency),
  total: money(r.total_minor, r.currency),
  paid: money(r.paid_minor, r.currency),
  credited: money(r.credited_minor, r.currency),
  openBalance: money(r.open_minor, r.currency),
});

export const QueryResolvers = {
  invoices: (_: unknown, args: PageArgs & { filter?: InvoiceFilter; orderBy?: InvoiceOrder }, ctx: BillingContext) =>
    pageInvoices(ctx.db, args),
  invoice: (_: unknown, args: { id: string }, ctx: BillingContext) => load.invoice(ctx).load(args.id),
  billableItems: (_: unknown, args: PageArgs & { filter?: BillableItemFilter }, ctx: BillingContext) => pageBillableItems(ctx.db, args),
  creditMemos: (_: unknown, args: PageArgs & { filter?: CreditMemoFilter }, ctx: BillingContext) => pageCreditMemos(ctx.db, args),
  invoiceTotals: async (_: unknown, args: { filter?: InvoiceFilter | null }, ctx: BillingContext) =>
    (await invoiceTotals(ctx.db, args.filter ?? {})).map(totals),
  billingAccount: (_: unknown, args: { customerId: string }, ctx: BillingContext) => load.account(ctx).load(args.customerId),
};
