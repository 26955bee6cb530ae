import { money } from '../../../lib/money.ts';
import { type BillingContext, load } from '../context.ts';
import type { CreditMemo, CreditMemoLine } from '../data/tables.ts';
import { ref } from './refs.ts';

export const CreditMemoResolvers = {
  __resolveReference: (r: { id: string }, ctx: BillingContext) => load.creditMemo(ctx).load(r.id),
  invoice: (m: CreditMemo, _: unknown, ctx: BillingContext) => load.invoice(ctx).load(m.invoice_id),
  customer: (m: CreditMemo) => ref(m.customer_id),
  legalEntity: (m: CreditMemo) => ref(m.legal_entity_id),
  issueDate: (m: CreditMemo) => m.issue_date,
  timeDisposition: (m: CreditMemo) => m.time_disposition,
  lines: (m: CreditMemo, _: unknown, ctx: BillingContext) => load.creditMemoLines(ctx).load(m.id),
  subtotal: (m: CreditMemo) => money(m.subtotal_minor, m.currency),
  tax: (m: CreditMemo) => money(m.tax_minor, m.currency),
  total: (m: CreditMemo) => money(m.total_minor, m.currency),
  createdAt: (m: CreditMemo) => m.created_at,
};

export const CreditMemoLineResolvers = {
  invoiceLine: (l: CreditMemoLine, _: unknown, ctx: BillingContext) => load.line(ctx).load(l.invoice_line_id),
  amount: (l: CreditMemoLine) => money(l.amount_minor, l.currency),
  tax: (l: CreditMemoLine) => money(l.tax_minor, l.currency),
};
