import { minutesToHours } from '../../../lib/hours.ts';
import { money } from '../../../lib/money.ts';
import { type BillingContext, load } from '../context.ts';
import type { BillableItem } from '../data/tables.ts';
import { ref } from './refs.ts';

export const BillableItemResolvers = {
  __resolveReference: (r: { id: string }, ctx: BillingContext) => load.item(ctx).load(r.id),
  sourceType: (b: BillableItem) => b.source_type,
  sourceId: (b: BillableItem) => b.source_id,
  timeEntry: (b: BillableItem) => (b.source_type === 'TIME_ENTRY' ? ref(b.source_id) : null),
  project: (b: BillableItem) => ref(b.project_id),
  customer: (b: BillableItem) => ref(b.customer_id),
  resource: (b: BillableItem) => ref(b.resource_id),
  workDate: (b: BillableItem) => b.work_date,
  sourceHours: (b: BillableItem) => minutesToHours(b.source_minutes),
  hours: (b: BillableItem) => minutesToHours(b.minutes),
  rate: (b: BillableItem) => money(b.rate_minor, b.currency),
  rateSource: (b: BillableItem) => b.rate_source,
  amount: (b: BillableItem) => money(b.amount_minor, b.currency),
  invoiceLine: async (b: BillableItem, _: unknown, ctx: BillingContext) =>
    b.invoice_line_id ? ((await load.line(ctx).load(b.invoice_line_id)) ?? null) : null,
  invoice: async (b: BillableItem, _: unknown, ctx: BillingContext) =>
    b.invoice_line_id ? ((await load.invoiceOfLine(ctx).load(b.invoice_line_id)) ?? null) : null,
  createdAt: (b: BillableItem) => b.created_at,
};
