import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import { pageCreditMemos } from '../data/credit-memos.ts';
import { pageInvoices } from '../data/invoices.ts';
import { pageBillableItems } from '../data/items.ts';
import { type InvoiceTotalsRow, invoiceTotals } from '../data/summaries.ts';
import type * as gql from './types.generated.ts';

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

export const QueryResolvers: gql.QueryResolvers = {
  invoices: (_, args, ctx) => pageInvoices(ctx.db, args),
  invoice: (_, args, ctx) => load.invoice(ctx).load(args.id),
  billableItems: (_, args, ctx) => pageBillableItems(ctx.db, args),
  creditMemos: (_, args, ctx) => pageCreditMemos(ctx.db, args),
  invoiceTotals: async (_, args, ctx) => (await invoiceTotals(ctx.db, args.filter ?? {})).map(totals),
  billingAccount: (_, args, ctx) => load.account(ctx).load(args.customerId),
};
