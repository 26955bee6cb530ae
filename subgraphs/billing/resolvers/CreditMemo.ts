import { loadRequired } from '../../../lib/loaders.ts';
import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import { ref } from './refs.ts';
import type * as gql from './types.generated.ts';

export const CreditMemoResolvers: gql.CreditMemoResolvers = {
  __resolveReference: (r, ctx) => load.creditMemo(ctx).load(r.id),
  invoice: (m, _, ctx) => loadRequired(load.invoice(ctx), m.invoice_id, 'Invoice'),
  customer: (m) => ref(m.customer_id),
  legalEntity: (m) => ref(m.legal_entity_id),
  issueDate: (m) => m.issue_date,
  timeDisposition: (m) => m.time_disposition,
  lines: (m, _, ctx) => load.creditMemoLines(ctx).load(m.id),
  subtotal: (m) => money(m.subtotal_minor, m.currency),
  tax: (m) => money(m.tax_minor, m.currency),
  total: (m) => money(m.total_minor, m.currency),
  createdAt: (m) => m.created_at,
};

export const CreditMemoLineResolvers: gql.CreditMemoLineResolvers = {
  invoiceLine: (l, _, ctx) => loadRequired(load.line(ctx), l.invoice_line_id, 'InvoiceLine'),
  amount: (l) => money(l.amount_minor, l.currency),
  tax: (l) => money(l.tax_minor, l.currency),
};
