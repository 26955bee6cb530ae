import { money } from '../../../lib/money.ts';
import { openMinorOf } from '../api/settlement.ts';
import { type BillingContext, load } from '../context.ts';
import type { Invoice, InvoiceLine, InvoicePayment } from '../data/tables.ts';
import { ref } from './refs.ts';

/** Nothing is owed on a draft or a void invoice. */
export const openBalanceMinor = openMinorOf;

export const InvoiceResolvers = {
  __resolveReference: (r: { id: string }, ctx: BillingContext) => load.invoice(ctx).load(r.id),
  customer: (i: Invoice) => ref(i.customer_id),
  project: (i: Invoice) => ref(i.project_id),
  contractId: (i: Invoice) => i.contract_id,
  legalEntityId: (i: Invoice) => i.legal_entity_id,
  legalEntity: (i: Invoice) => ref(i.legal_entity_id),
  issueDate: (i: Invoice) => i.issue_date,
  dueDate: (i: Invoice) => i.due_date,
  periodStart: (i: Invoice) => i.period_start,
  periodEnd: (i: Invoice) => i.period_end,
  lines: (i: Invoice, _: unknown, ctx: BillingContext) => load.linesOfInvoice(ctx).load(i.id),
  subtotal: (i: Invoice) => money(i.subtotal_minor, i.currency),
  tax: (i: Invoice) => money(i.tax_minor, i.currency),
  total: (i: Invoice) => money(i.total_minor, i.currency),
  paid: (i: Invoice) => money(i.paid_minor, i.currency),
  credited: (i: Invoice) => money(i.credited_minor, i.currency),
  writtenOff: (i: Invoice) => money(i.written_off_minor, i.currency),
  received: (i: Invoice) => money(i.received_minor, i.currency),
  openBalance: (i: Invoice) => money(openBalanceMinor(i), i.currency),
  creditMemos: (i: Invoice, _: unknown, ctx: BillingContext) => load.creditMemosOfInvoice(ctx).load(i.id),
  payments: async (i: Invoice, _: unknown, ctx: BillingContext) =>
    (await load.paymentsOfInvoice(ctx).load(i.id)).map((p) => ({ ...p, currency: i.currency })),
  createdAt: (i: Invoice) => i.created_at,
  issuedAt: (i: Invoice) => i.issued_at,
};

export const InvoiceLineResolvers = {
  __resolveReference: (r: { id: string }, ctx: BillingContext) => load.line(ctx).load(r.id),
  invoice: (l: InvoiceLine, _: unknown, ctx: BillingContext) => load.invoice(ctx).load(l.invoice_id),
  lineNo: (l: InvoiceLine) => l.line_no,
  quantity: (l: InvoiceLine) => Number(l.quantity),
  unitPrice: (l: InvoiceLine) => money(l.unit_price_minor, l.currency),
  amount: (l: InvoiceLine) => money(l.amount_minor, l.currency),
  taxCode: (l: InvoiceLine) => l.tax_code,
  taxRateBp: (l: InvoiceLine) => l.tax_rate_bp,
  tax: (l: InvoiceLine) => money(l.tax_minor, l.currency),
  serviceLine: (l: InvoiceLine) => l.service_line,
  credited: (l: InvoiceLine) => money(l.credited_minor, l.currency),
  billableItems: (l: InvoiceLine, _: unknown, ctx: BillingContext) => load.itemsOfLine(ctx).load(l.id),
  milestone: async (l: InvoiceLine, _: unknown, ctx: BillingContext) =>
    l.milestone_id ? ((await load.milestone(ctx).load(l.milestone_id)) ?? null) : null,
};

export const InvoicePaymentResolvers = {
  erpPaymentId: (p: InvoicePayment) => p.erp_payment_id,
  amount: (p: InvoicePayment & { currency: string }) => money(p.amount_minor, p.currency),
  receivedOn: (p: InvoicePayment) => p.received_on,
};
