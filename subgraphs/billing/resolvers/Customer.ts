import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import type { BillingSummaryRow } from '../data/summaries.ts';
import type * as gql from './types.generated.ts';

const summary = (r: BillingSummaryRow) => ({
  currency: r.currency,
  unbilled: money(r.unbilled_minor, r.currency),
  invoiced: money(r.invoiced_minor, r.currency),
  paid: money(r.paid_minor, r.currency),
  credited: money(r.credited_minor, r.currency),
  openBalance: money(r.open_minor, r.currency),
});

export const CustomerResolvers: gql.CustomerResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  invoices: (c, args, ctx) => load.invoicesOfCustomer(ctx, args.status).load(c.id),
  billingSummary: async (c, _, ctx) => (await load.billingSummary(ctx).load(c.id)).map(summary),
};
