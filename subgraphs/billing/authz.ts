import { type AuthzPolicy, asIs, NO_DATA, pinCustomerArg, pinFilterCustomer } from '../../lib/authz.ts';
import { type BillingContext, load } from './context.ts';
import type { Account, BillableItem, CreditMemo, Invoice, InvoiceLine, Milestone, Rule } from './data/tables.ts';

/** The customer of a project as billing knows it: its billing rule (invoices, items and milestones reference the rule with its customer). */
const projectOwner = async (projectId: string, ctx: BillingContext) => (await load.rule(ctx).load(projectId))?.customer_id;

/** Billing rules: a portal user sees its own invoices, credit memos, items and account. */
export const billingPolicy: AuthzPolicy = {
  portal: {
    queries: {
      invoices: pinFilterCustomer,
      invoice: asIs,
      billableItems: pinFilterCustomer,
      creditMemos: pinFilterCustomer,
      invoiceTotals: pinFilterCustomer,
      billingAccount: pinCustomerArg,
    },
    owners: {
      Customer: (c: { id: string }) => c.id,
      // Billing adds fields to a project it may not know: without a rule it has no rows about it.
      Project: async (p: { id: string }, ctx: BillingContext) => (await projectOwner(p.id, ctx)) ?? NO_DATA,
      Invoice: (i: Invoice) => i.customer_id,
      InvoiceLine: async (l: InvoiceLine, ctx: BillingContext) => (await load.invoice(ctx).load(l.invoice_id))?.customer_id ?? null,
      BillableItem: (b: BillableItem) => b.customer_id,
      CreditMemo: (m: CreditMemo) => m.customer_id,
      BillingAccount: (a: Account) => a.customer_id,
      BillingRule: (r: Rule) => r.customer_id,
      Milestone: async (m: Milestone, ctx: BillingContext) => (await projectOwner(m.project_id, ctx)) ?? null,
    },
    parts: [
      'Money',
      'PageInfo',
      'InvoicePayment',
      'CreditMemoLine',
      'BillingSummary',
      'InvoiceTotals',
      'InvoiceConnection',
      'InvoiceEdge',
      'BillableItemConnection',
      'BillableItemEdge',
      'CreditMemoConnection',
      'CreditMemoEdge',
    ],
    // Billing adds a time entry's item and invoice; each is judged by its own rule.
    references: ['TimeEntry'],
    restricted: { Resource: ['id'], LegalEntity: ['id'] },
  },
};
