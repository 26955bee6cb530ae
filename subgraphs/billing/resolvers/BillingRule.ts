import { money } from '../../../lib/money.ts';
import type { Account, Milestone, Rule } from '../data/tables.ts';
import { ref } from './refs.ts';

export const BillingAccountResolvers = {
  customer: (a: Account) => ref(a.customer_id),
  legalEntity: (a: Account) => ref(a.legal_entity_id),
  paymentTermsDays: (a: Account) => a.payment_terms_days,
  taxCode: (a: Account) => a.tax_code,
  updatedAt: (a: Account) => a.updated_at,
};

export const BillingRuleResolvers = {
  project: (r: Rule) => ref(r.project_id),
  customer: (r: Rule) => ref(r.customer_id),
  contractId: (r: Rule) => r.contract_id,
  legalEntity: (r: Rule) => ref(r.legal_entity_id),
  billingModel: (r: Rule) => r.billing_model,
  cap: (r: Rule) => (r.cap_minor == null ? null : money(r.cap_minor, r.currency)),
  fixedFee: (r: Rule) => (r.fixed_fee_minor == null ? null : money(r.fixed_fee_minor, r.currency)),
  roundingIncrementMinutes: (r: Rule) => r.rounding_increment_minutes,
  roundingMode: (r: Rule) => r.rounding_mode,
  serviceLine: (r: Rule) => r.service_line,
  createdAt: (r: Rule) => r.created_at,
};

export const MilestoneResolvers = {
  project: (m: Milestone) => ref(m.project_id),
  amount: (m: Milestone) => money(m.amount_minor, m.currency),
  dueDate: (m: Milestone) => m.due_date,
};
