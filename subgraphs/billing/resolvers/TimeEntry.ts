import { type BillingContext, load } from '../context.ts';

export const TimeEntryResolvers = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  billableItem: async (t: { id: string }, _: unknown, ctx: BillingContext) => (await load.itemOfTimeEntry(ctx).load(t.id)) ?? null,
  invoice: async (t: { id: string }, _: unknown, ctx: BillingContext) => (await load.invoiceOfTimeEntry(ctx).load(t.id)) ?? null,
};
