import { minutesToHours } from '../../../lib/hours.ts';
import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import { ref } from './refs.ts';
import type * as gql from './types.generated.ts';

export const BillableItemResolvers: gql.BillableItemResolvers = {
  __resolveReference: (r, ctx) => load.item(ctx).load(r.id),
  sourceType: (b) => b.source_type,
  sourceId: (b) => b.source_id,
  timeEntry: (b) => (b.source_type === 'TIME_ENTRY' ? ref(b.source_id) : null),
  project: (b) => ref(b.project_id),
  customer: (b) => ref(b.customer_id),
  resource: (b) => ref(b.resource_id),
  workDate: (b) => b.work_date,
  sourceHours: (b) => minutesToHours(b.source_minutes),
  hours: (b) => minutesToHours(b.minutes),
  rate: (b) => money(b.rate_minor, b.currency),
  rateSource: (b) => b.rate_source,
  amount: (b) => money(b.amount_minor, b.currency),
  invoiceLine: async (b, _, ctx) => (b.invoice_line_id ? ((await load.line(ctx).load(b.invoice_line_id)) ?? null) : null),
  invoice: async (b, _, ctx) => (b.invoice_line_id ? ((await load.invoiceOfLine(ctx).load(b.invoice_line_id)) ?? null) : null),
  createdAt: (b) => b.created_at,
};
