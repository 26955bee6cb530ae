import { money } from '../../../lib/money.ts';
import { type ErpContext, load } from '../context.ts';
import type { Payment, Receivable, Refund, WriteOff } from '../data/tables.ts';

export const ReceivableResolvers = {
  invoice: (r: Receivable) => ({ id: r.invoice_id }),
  invoiceNumber: (r: Receivable) => r.invoice_number,
  customer: (r: Receivable) => ({ id: r.customer_id }),
  legalEntity: (r: Receivable, _: unknown, ctx: ErpContext) => load.legalEntity(ctx).load(r.legal_entity_id),
  project: (r: Receivable) => (r.project_id ? { id: r.project_id } : null),
  amount: (r: Receivable) => money(r.amount_minor, r.currency),
  openBalance: (r: Receivable) => money(r.open_minor, r.currency),
  paid: (r: Receivable) => money(r.paid_minor, r.currency),
  credited: (r: Receivable) => money(r.credited_minor, r.currency),
  writtenOff: (r: Receivable) => money(r.written_off_minor, r.currency),
  received: (r: Receivable) => money(r.received_minor, r.currency),
  issueDate: (r: Receivable) => r.issue_date,
  dueDate: (r: Receivable) => r.due_date,
  journalEntry: (r: Receivable, _: unknown, ctx: ErpContext) => (r.journal_entry_id ? load.entry(ctx).load(r.journal_entry_id) : null),
  payments: (r: Receivable, _: unknown, ctx: ErpContext) => load.paymentsOfReceivable(ctx).load(r.id),
};

export const PaymentResolvers = {
  externalRef: (p: Payment) => p.external_ref,
  invoice: (p: Payment) => ({ id: p.invoice_id }),
  customer: (p: Payment) => ({ id: p.customer_id }),
  legalEntity: (p: Payment, _: unknown, ctx: ErpContext) => load.legalEntity(ctx).load(p.legal_entity_id),
  receivable: (p: Payment, _: unknown, ctx: ErpContext) => load.receivable(ctx).load(p.receivable_id),
  amount: (p: Payment) => money(p.amount_minor, p.currency),
  receivedOn: (p: Payment) => p.received_on,
  journalEntry: (p: Payment, _: unknown, ctx: ErpContext) => (p.journal_entry_id ? load.entry(ctx).load(p.journal_entry_id) : null),
  createdAt: (p: Payment) => p.created_at,
};

export const WriteOffResolvers = {
  invoice: (w: WriteOff) => ({ id: w.invoice_id }),
  receivable: (w: WriteOff, _: unknown, ctx: ErpContext) => load.receivable(ctx).load(w.receivable_id),
  amount: async (w: WriteOff, _: unknown, ctx: ErpContext) =>
    money(w.amount_minor, ((await load.receivable(ctx).load(w.receivable_id)) as Receivable).currency),
  date: (w: WriteOff) => w.written_off_on,
  journalEntry: (w: WriteOff, _: unknown, ctx: ErpContext) => (w.journal_entry_id ? load.entry(ctx).load(w.journal_entry_id) : null),
};

export const RefundResolvers = {
  customer: (r: Refund) => ({ id: r.customer_id }),
  legalEntity: (r: Refund, _: unknown, ctx: ErpContext) => load.legalEntity(ctx).load(r.legal_entity_id),
  amount: (r: Refund) => money(r.amount_minor, r.currency),
  paidOn: (r: Refund) => r.paid_on,
  externalRef: (r: Refund) => r.external_ref,
  journalEntry: (r: Refund, _: unknown, ctx: ErpContext) => (r.journal_entry_id ? load.entry(ctx).load(r.journal_entry_id) : null),
};
