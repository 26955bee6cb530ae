import { loadRequired } from '../../../lib/loaders.ts';
import { money } from '../../../lib/money.ts';
import { openMinorOf } from '../api/settlement.ts';
import { load } from '../context.ts';
import { ref } from './refs.ts';
import type * as gql from './types.generated.ts';

/** Nothing is owed on a draft or a void invoice. */
export const openBalanceMinor = openMinorOf;

export const InvoiceResolvers: gql.InvoiceResolvers = {
  __resolveReference: (r, ctx) => load.invoice(ctx).load(r.id),
  customer: (i) => ref(i.customer_id),
  project: (i) => ref(i.project_id),
  contractId: (i) => i.contract_id,
  legalEntityId: (i) => i.legal_entity_id,
  legalEntity: (i) => ref(i.legal_entity_id),
  issueDate: (i) => i.issue_date,
  dueDate: (i) => i.due_date,
  periodStart: (i) => i.period_start,
  periodEnd: (i) => i.period_end,
  lines: (i, _, ctx) => load.linesOfInvoice(ctx).load(i.id),
  subtotal: (i) => money(i.subtotal_minor, i.currency),
  tax: (i) => money(i.tax_minor, i.currency),
  total: (i) => money(i.total_minor, i.currency),
  paid: (i) => money(i.paid_minor, i.currency),
  credited: (i) => money(i.credited_minor, i.currency),
  writtenOff: (i) => money(i.written_off_minor, i.currency),
  received: (i) => money(i.received_minor, i.currency),
  openBalance: (i) => money(openBalanceMinor(i), i.currency),
  creditMemos: (i, _, ctx) => load.creditMemosOfInvoice(ctx).load(i.id),
  payments: async (i, _, ctx) => (await load.paymentsOfInvoice(ctx).load(i.id)).map((p) => ({ ...p, currency: i.currency })),
  createdAt: (i) => i.created_at,
  issuedAt: (i) => i.issued_at,
};

export const InvoiceLineResolvers: gql.InvoiceLineResolvers = {
  __resolveReference: (r, ctx) => load.line(ctx).load(r.id),
  invoice: (l, _, ctx) => loadRequired(load.invoice(ctx), l.invoice_id, 'Invoice'),
  lineNo: (l) => l.line_no,
  quantity: (l) => Number(l.quantity),
  unitPrice: (l) => money(l.unit_price_minor, l.currency),
  amount: (l) => money(l.amount_minor, l.currency),
  taxCode: (l) => l.tax_code,
  taxRateBp: (l) => l.tax_rate_bp,
  tax: (l) => money(l.tax_minor, l.currency),
  serviceLine: (l) => l.service_line,
  credited: (l) => money(l.credited_minor, l.currency),
  billableItems: (l, _, ctx) => load.itemsOfLine(ctx).load(l.id),
  milestone: async (l, _, ctx) => (l.milestone_id ? ((await load.milestone(ctx).load(l.milestone_id)) ?? null) : null),
};

export const InvoicePaymentResolvers: gql.InvoicePaymentResolvers = {
  erpPaymentId: (p) => p.erp_payment_id,
  amount: (p) => money(p.amount_minor, p.currency),
  receivedOn: (p) => p.received_on,
};
