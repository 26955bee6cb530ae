import { loadRequired } from '../../../lib/loaders.ts';
import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const ReceivableResolvers: gql.ReceivableResolvers = {
  invoice: (r) => ({ id: r.invoice_id }),
  invoiceNumber: (r) => r.invoice_number,
  customer: (r) => ({ id: r.customer_id }),
  legalEntity: (r, _, ctx) => loadRequired(load.legalEntity(ctx), r.legal_entity_id, 'LegalEntity'),
  project: (r) => (r.project_id ? { id: r.project_id } : null),
  amount: (r) => money(r.amount_minor, r.currency),
  openBalance: (r) => money(r.open_minor, r.currency),
  paid: (r) => money(r.paid_minor, r.currency),
  credited: (r) => money(r.credited_minor, r.currency),
  writtenOff: (r) => money(r.written_off_minor, r.currency),
  received: (r) => money(r.received_minor, r.currency),
  issueDate: (r) => r.issue_date,
  dueDate: (r) => r.due_date,
  journalEntry: (r, _, ctx) => (r.journal_entry_id ? load.entry(ctx).load(r.journal_entry_id) : null),
  payments: (r, _, ctx) => load.paymentsOfReceivable(ctx).load(r.id),
};

export const PaymentResolvers: gql.PaymentResolvers = {
  externalRef: (p) => p.external_ref,
  invoice: (p) => ({ id: p.invoice_id }),
  customer: (p) => ({ id: p.customer_id }),
  legalEntity: (p, _, ctx) => loadRequired(load.legalEntity(ctx), p.legal_entity_id, 'LegalEntity'),
  receivable: (p, _, ctx) => loadRequired(load.receivable(ctx), p.receivable_id, 'Receivable'),
  amount: (p) => money(p.amount_minor, p.currency),
  receivedOn: (p) => p.received_on,
  journalEntry: (p, _, ctx) => (p.journal_entry_id ? load.entry(ctx).load(p.journal_entry_id) : null),
  createdAt: (p) => p.created_at,
};

export const WriteOffResolvers: gql.WriteOffResolvers = {
  invoice: (w) => ({ id: w.invoice_id }),
  receivable: (w, _, ctx) => loadRequired(load.receivable(ctx), w.receivable_id, 'Receivable'),
  amount: async (w, _, ctx) => money(w.amount_minor, (await loadRequired(load.receivable(ctx), w.receivable_id, 'Receivable')).currency),
  date: (w) => w.written_off_on,
  journalEntry: (w, _, ctx) => (w.journal_entry_id ? load.entry(ctx).load(w.journal_entry_id) : null),
};

export const RefundResolvers: gql.RefundResolvers = {
  customer: (r) => ({ id: r.customer_id }),
  legalEntity: (r, _, ctx) => loadRequired(load.legalEntity(ctx), r.legal_entity_id, 'LegalEntity'),
  amount: (r) => money(r.amount_minor, r.currency),
  paidOn: (r) => r.paid_on,
  externalRef: (r) => r.external_ref,
  journalEntry: (r, _, ctx) => (r.journal_entry_id ? load.entry(ctx).load(r.journal_entry_id) : null),
};
