import { money } from '../../../lib/money.ts';
import { ref } from './refs.ts';
import type * as gql from './types.generated.ts';

export const BillingAccountResolvers: gql.BillingAccountResolvers = {
  customer: (a) => ref(a.customer_id),
  legalEntity: (a) => ref(a.legal_entity_id),
  paymentTermsDays: (a) => a.payment_terms_days,
  taxCode: (a) => a.tax_code,
  updatedAt: (a) => a.updated_at,
};

export const BillingRuleResolvers: gql.BillingRuleResolvers = {
  project: (r) => ref(r.project_id),
  customer: (r) => ref(r.customer_id),
  contractId: (r) => r.contract_id,
  legalEntity: (r) => ref(r.legal_entity_id),
  billingModel: (r) => r.billing_model,
  cap: (r) => (r.cap_minor == null ? null : money(r.cap_minor, r.currency)),
  fixedFee: (r) => (r.fixed_fee_minor == null ? null : money(r.fixed_fee_minor, r.currency)),
  roundingIncrementMinutes: (r) => r.rounding_increment_minutes,
  roundingMode: (r) => r.rounding_mode,
  serviceLine: (r) => r.service_line,
  createdAt: (r) => r.created_at,
};

export const MilestoneResolvers: gql.MilestoneResolvers = {
  project: (m) => ref(m.project_id),
  amount: (m) => money(m.amount_minor, m.currency),
  dueDate: (m) => m.due_date,
};
