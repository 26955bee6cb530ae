import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const TimeEntryResolvers: gql.TimeEntryResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  billableItem: async (t, _, ctx) => (await load.itemOfTimeEntry(ctx).load(t.id)) ?? null,
  invoice: async (t, _, ctx) => (await load.invoiceOfTimeEntry(ctx).load(t.id)) ?? null,
};
