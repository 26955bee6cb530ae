import { money } from '../../../lib/money.ts';
import { type ErpContext, load } from '../context.ts';
import type { Payment, Receivable } from '../data/tables.ts';

export const ReceivableResolvers = {
  invoice: (r: Receivable) => ({ id: r.invoice_id }),
  invoiceNumber: (r: Receivable) => r.invoice_number,
  customer: (r: Receivable) => ({ id: r.customer_id }),
  legalEntity: (r: Receivable, _: unknown, ctx: ErpContext) => load.legalEntity(ctx).load(r.legal_entity_id),
  project: (r: Receivable) => (r.project_id ? { id: r.project_id } : null),
  amount: (r: Receivable) => money(r.amount_minor, r.currency),
  openBalance: (r: Receivable) => money(r.open_minor, r.currency),
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
