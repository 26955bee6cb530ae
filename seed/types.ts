/**
 * Row shapes of every table the seed fills, one property per column it sets (columns left out take
 * their database default, identity columns included). Money is in minor units, dates are YYYY-MM-DD,
 * instants ISO strings.
 */
import type { SyncSourceType } from '../subgraphs/sync/data/tables.ts';

type Ts = string;
type DateStr = string;

// ---- erp
export type LegalEntityRow = { id: string; name: string; country: string; functional_currency: string };
export type AccountRow = { legal_entity_id: string; code: string; name: string; type: string };
export type PeriodRow = {
  id: string;
  legal_entity_id: string;
  code: string;
  start_date: DateStr;
  end_date: DateStr;
  status: 'OPEN' | 'CLOSED';
  closed_at: Ts | null;
};
export type FxRateRow = { from_currency: string; to_currency: string; rate_date: DateStr; rate: string };
export type CustomerMasterRow = {
  customer_id: string;
  name: string;
  legal_entity_id: string;
  currency: string;
  tax_code: string | null;
  payment_terms_days: number;
  credit_limit_minor: number;
  status: 'ACTIVE' | 'ON_HOLD' | 'INACTIVE';
  updated_at: Ts;
};
export type JournalEntryRow = {
  id: string;
  legal_entity_id: string;
  entry_date: DateStr;
  period_id: string;
  source_type: string;
  source_id: string;
  memo: string | null;
  currency: string;
  functional_currency: string;
  fx_rate: string;
  reverses_id: string | null;
  posted_at: Ts;
};
export type JournalLineRow = {
  id: string;
  journal_entry_id: string;
  line_no: number;
  legal_entity_id: string;
  account_code: string;
  debit_minor: number;
  credit_minor: number;
  functional_debit_minor: number;
  functional_credit_minor: number;
  customer_id: string | null;
  project_id: string | null;
  service_line: string | null;
  source_line_type: string | null;
  source_line_id: string | null;
};
export type ReceivableRow = {
  id: string;
  invoice_id: string;
  invoice_number: string;
  customer_id: string;
  legal_entity_id: string;
  project_id: string | null;
  currency: string;
  amount_minor: number;
  open_minor: number;
  received_minor: number;
  paid_minor: number;
  credited_minor: number;
  issue_date: DateStr;
  due_date: DateStr;
  status: 'OPEN' | 'PARTIALLY_PAID' | 'PAID' | 'CREDITED';
  journal_entry_id: string | null;
};
export type ErpPaymentRow = {
  id: string;
  customer_id: string;
  legal_entity_id: string;
  receivable_id: string;
  invoice_id: string;
  amount_minor: number;
  currency: string;
  received_on: DateStr;
  external_ref: string;
  journal_entry_id: string | null;
  created_at: Ts;
};
export type ContractRefRow = {
  contract_id: string;
  project_id: string;
  customer_id: string;
  legal_entity_id: string;
  currency: string;
  service_line: string;
  created_at: Ts;
};

// ---- crm
export type CustomerRow = {
  id: string;
  name: string;
  industry: string | null;
  owner: string | null;
  region: string;
  parent_id: string | null;
  legal_entity_id: string | null;
  currency: string | null;
  created_at: Ts;
  updated_at: Ts;
};
export type ContactRow = { id: string; customer_id: string; name: string; email: string | null; title: string | null; created_at: Ts };
export type OpportunityStage = 'PROSPECTING' | 'QUALIFICATION' | 'PROPOSAL' | 'NEGOTIATION' | 'CLOSED_WON' | 'CLOSED_LOST';
export type BillingModel = 'TIME_AND_MATERIALS' | 'FIXED_FEE' | 'MILESTONES';
export type OpportunityRow = {
  id: string;
  customer_id: string;
  name: string;
  stage: OpportunityStage;
  amount_minor: number;
  currency: string;
  close_date: DateStr;
  billing_model: BillingModel;
  service_line: string;
  won_at: Ts | null;
  created_at: Ts;
  updated_at: Ts;
};
export type StageHistoryRow = { opportunity_id: string; stage: OpportunityStage; changed_at: Ts; changed_by: string | null };
export type WorkstreamRow = {
  id: string;
  opportunity_id: string;
  role: string;
  minutes: number;
  rate_minor: number;
  description: string | null;
};
export type OpportunityMilestoneRow = { id: string; opportunity_id: string; name: string; amount_minor: number; due_date: DateStr };

// ---- psa
export type CustomerRefRow = {
  customer_id: string;
  name: string;
  legal_entity_id: string | null;
  currency: string | null;
  payment_terms_days: number | null;
  updated_at: Ts;
};
export type RateCardRow = { id: string; name: string; currency: string; created_at: Ts };
export type RateCardRateRow = { id: string; rate_card_id: string; role: string; rate_minor: number; effective_from: DateStr };
export type ResourceRow = {
  id: string;
  name: string;
  email: string | null;
  role: string;
  cost_rate_minor: number;
  cost_currency: string;
  legal_entity_id: string;
  capacity_minutes_per_week: number;
  active: boolean;
  created_at: Ts;
};
export type ProjectStatus = 'DRAFT' | 'ACTIVE' | 'CLOSED';
export type ProjectRow = {
  id: string;
  code: string;
  name: string;
  customer_id: string;
  opportunity_id: string | null;
  legal_entity_id: string;
  currency: string;
  billable: boolean;
  start_date: DateStr;
  end_date: DateStr | null;
  status: ProjectStatus;
  budget_minutes: number | null;
  budget_fee_minor: number | null;
  service_line: string;
  rate_card_id: string | null;
  created_at: Ts;
  updated_at: Ts;
};
export type RoundingMode = 'UP' | 'NEAREST' | 'DOWN';
export type ContractRow = {
  id: string;
  project_id: string;
  customer_id: string;
  billing_model: BillingModel;
  currency: string;
  cap_minor: number | null;
  fixed_fee_minor: number | null;
  rounding_increment_minutes: number;
  rounding_mode: RoundingMode;
  start_date: DateStr;
  end_date: DateStr | null;
  status: ProjectStatus;
  created_at: Ts;
};
export type OverrideScope = 'PROJECT_RESOURCE' | 'PROJECT_ROLE' | 'CUSTOMER_ROLE';
export type RateOverrideRow = {
  id: string;
  scope: OverrideScope;
  project_id: string | null;
  customer_id: string | null;
  resource_id: string | null;
  role: string | null;
  rate_minor: number;
  currency: string;
  effective_from: DateStr;
};
export type TaskRow = { id: string; project_id: string; name: string; billable: boolean };
export type AssignmentRow = {
  id: string;
  project_id: string;
  resource_id: string;
  role: string;
  start_date: DateStr;
  end_date: DateStr | null;
  planned_minutes: number;
};

// ---- time
export type TimeResourceRow = { id: string; name: string; active: boolean };
export type TimeProjectRow = {
  id: string;
  customer_id: string;
  name: string;
  status: 'ACTIVE' | 'CLOSED';
  billable: boolean;
  start_date: DateStr | null;
  end_date: DateStr | null;
};
export type TimesheetStatus = 'DRAFT' | 'SUBMITTED' | 'APPROVED' | 'REJECTED';
export type TimesheetRow = {
  id: string;
  resource_id: string;
  week_start: DateStr;
  status: TimesheetStatus;
  submitted_at: Ts | null;
  decided_at: Ts | null;
  decided_by: string | null;
  rejection_reason: string | null;
  created_at: Ts;
};
export type TimeBillingStatus = 'UNBILLED' | 'BILLED' | 'WRITTEN_OFF';
export type TimeEntryRow = {
  id: string;
  timesheet_id: string;
  resource_id: string;
  project_id: string;
  customer_id: string;
  task_id: string | null;
  work_date: DateStr;
  minutes: number;
  billable: boolean;
  notes: string | null;
  status: TimesheetStatus;
  billing_status: TimeBillingStatus;
  rate_override_minor: number | null;
  external_ref: string | null;
  created_at: Ts;
  updated_at: Ts;
};

// ---- billing
export type BillingAccountRow = {
  customer_id: string;
  name: string;
  legal_entity_id: string;
  currency: string;
  payment_terms_days: number;
  tax_code: string;
  updated_at: Ts;
};
export type BillingRuleRow = {
  project_id: string;
  customer_id: string;
  contract_id: string;
  legal_entity_id: string;
  billing_model: BillingModel;
  currency: string;
  cap_minor: number | null;
  fixed_fee_minor: number | null;
  rounding_increment_minutes: number;
  rounding_mode: RoundingMode;
  service_line: string;
  active: boolean;
  created_at: Ts;
};
export type BillingMilestoneRow = {
  id: string;
  project_id: string;
  name: string;
  amount_minor: number;
  currency: string;
  due_date: DateStr;
  status: 'PLANNED' | 'INVOICED' | 'CANCELLED';
};
export type NumberSequenceRow = { legal_entity_id: string; document_type: 'INVOICE' | 'CREDIT_MEMO'; prefix: string; next_number: number };
export type InvoiceStatus = 'DRAFT' | 'ISSUED' | 'PARTIALLY_PAID' | 'PAID' | 'CREDITED' | 'VOID';
export type InvoiceRow = {
  id: string;
  number: string | null;
  legal_entity_id: string;
  customer_id: string;
  project_id: string;
  contract_id: string | null;
  currency: string;
  status: InvoiceStatus;
  issue_date: DateStr | null;
  due_date: DateStr | null;
  period_start: DateStr | null;
  period_end: DateStr | null;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  paid_minor: number;
  /** Cash the erp received for it; the demo has no overpayments, so it equals paid_minor. */
  received_minor: number;
  credited_minor: number;
  created_at: Ts;
  issued_at: Ts | null;
};
export type InvoiceLineKind = 'TIME' | 'MILESTONE' | 'FIXED_FEE' | 'ADJUSTMENT';
export type InvoiceLineRow = {
  id: string;
  invoice_id: string;
  line_no: number;
  kind: InvoiceLineKind;
  description: string;
  quantity: string;
  unit_price_minor: number;
  amount_minor: number;
  tax_code: string;
  tax_rate_bp: number;
  tax_minor: number;
  service_line: string;
  milestone_id: string | null;
  credited_minor: number;
};
export type BillableItemStatus = 'UNBILLED' | 'INVOICED' | 'WRITTEN_OFF' | 'CREDITED';
export type BillableItemRow = {
  id: string;
  source_type: 'TIME_ENTRY';
  source_id: string;
  project_id: string;
  customer_id: string;
  resource_id: string;
  role: string | null;
  work_date: DateStr;
  source_minutes: number;
  minutes: number;
  rate_minor: number;
  rate_source: string;
  amount_minor: number;
  currency: string;
  status: BillableItemStatus;
  invoice_line_id: string | null;
  created_at: Ts;
};
export type CreditMemoRow = {
  id: string;
  number: string;
  legal_entity_id: string;
  invoice_id: string;
  customer_id: string;
  currency: string;
  issue_date: DateStr;
  reason: string;
  time_disposition: 'UNBILL' | 'WRITE_OFF';
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  created_at: Ts;
};
export type CreditMemoLineRow = { id: string; credit_memo_id: string; invoice_line_id: string; amount_minor: number; tax_minor: number };
export type InvoicePaymentRow = { id: string; invoice_id: string; erp_payment_id: string; amount_minor: number; received_on: DateStr };

// ---- sync
export type SyncJobRow = {
  id: string;
  kind: string;
  source_type: SyncSourceType;
  source_id: string;
  source_key: string;
  status: string;
  trigger: 'AUTOMATIC' | 'MANUAL';
  triggered_by: string | null;
  customer_id: string | null;
  project_id: string | null;
  invoice_id: string | null;
  journal_entry_id: string | null;
  target_refs: Record<string, Record<string, string | string[]>>;
  payload: Record<string, unknown>;
  mapping_version: string | null;
  attempts: number;
  max_attempts: number;
  created_at: Ts;
  updated_at: Ts;
  started_at: Ts | null;
  finished_at: Ts | null;
};
export type SyncJobAttemptRow = {
  job_id: string;
  attempt_no: number;
  worker_id: string | null;
  started_at: Ts;
  finished_at: Ts | null;
  outcome: 'SUCCEEDED' | 'FAILED' | 'EXCEPTION' | null;
};
export type SyncJobEventRow = { job_id: string; status: string; event: string; detail: Record<string, unknown>; at: Ts };

/** Every table the seed writes, in an order that satisfies the foreign keys. */
export type WorldTables = {
  'erp.legal_entities': LegalEntityRow[];
  'erp.accounts': AccountRow[];
  'erp.periods': PeriodRow[];
  'erp.fx_rates': FxRateRow[];
  'erp.customer_masters': CustomerMasterRow[];
  'crm.customers': CustomerRow[];
  'crm.contacts': ContactRow[];
  'crm.opportunities': OpportunityRow[];
  'crm.opportunity_stage_history': StageHistoryRow[];
  'crm.workstreams': WorkstreamRow[];
  'crm.opportunity_milestones': OpportunityMilestoneRow[];
  'psa.customer_refs': CustomerRefRow[];
  'psa.rate_cards': RateCardRow[];
  'psa.rate_card_rates': RateCardRateRow[];
  'psa.resources': ResourceRow[];
  'psa.projects': ProjectRow[];
  'psa.contracts': ContractRow[];
  'psa.rate_overrides': RateOverrideRow[];
  'psa.tasks': TaskRow[];
  'psa.assignments': AssignmentRow[];
  'time.resources': TimeResourceRow[];
  'time.projects': TimeProjectRow[];
  'time.timesheets': TimesheetRow[];
  'time.time_entries': TimeEntryRow[];
  'billing.accounts': BillingAccountRow[];
  'billing.rules': BillingRuleRow[];
  'billing.milestones': BillingMilestoneRow[];
  'billing.number_sequences': NumberSequenceRow[];
  'billing.invoices': InvoiceRow[];
  'billing.invoice_lines': InvoiceLineRow[];
  'billing.billable_items': BillableItemRow[];
  'billing.credit_memos': CreditMemoRow[];
  'billing.credit_memo_lines': CreditMemoLineRow[];
  'billing.invoice_payments': InvoicePaymentRow[];
  'erp.journal_entries': JournalEntryRow[];
  'erp.journal_lines': JournalLineRow[];
  'erp.receivables': ReceivableRow[];
  'erp.payments': ErpPaymentRow[];
  'erp.contract_refs': ContractRefRow[];
  'sync.jobs': SyncJobRow[];
  'sync.job_attempts': SyncJobAttemptRow[];
  'sync.job_events': SyncJobEventRow[];
};

export type TableName = keyof WorldTables;

export const TABLE_ORDER: readonly TableName[] = [
  'erp.legal_entities',
  'erp.accounts',
  'erp.periods',
  'erp.fx_rates',
  'erp.customer_masters',
  'crm.customers',
  'crm.contacts',
  'crm.opportunities',
  'crm.opportunity_stage_history',
  'crm.workstreams',
  'crm.opportunity_milestones',
  'psa.customer_refs',
  'psa.rate_cards',
  'psa.rate_card_rates',
  'psa.resources',
  'psa.projects',
  'psa.contracts',
  'psa.rate_overrides',
  'psa.tasks',
  'psa.assignments',
  'time.resources',
  'time.projects',
  'time.timesheets',
  'time.time_entries',
  'billing.accounts',
  'billing.rules',
  'billing.milestones',
  'billing.number_sequences',
  'billing.invoices',
  'billing.invoice_lines',
  'billing.billable_items',
  'billing.credit_memos',
  'billing.credit_memo_lines',
  'billing.invoice_payments',
  'erp.journal_entries',
  'erp.journal_lines',
  'erp.receivables',
  'erp.payments',
  'erp.contract_refs',
  'sync.jobs',
  'sync.job_attempts',
  'sync.job_events',
];

export function emptyTables(): WorldTables {
  return Object.fromEntries(TABLE_ORDER.map((t) => [t, []])) as unknown as WorldTables;
}

/** A generated firm: its rows per table plus the parameters that made it. */
export type World = {
  seed: number;
  scale: number;
  asOf: DateStr;
  mappingVersion: string;
  tables: WorldTables;
  /** Ids the demo script and tests point at (the deliberate exceptions, deals ready to win). */
  highlights: WorldHighlights;
};

export type WorldHighlights = {
  customersWithoutMaster: string[];
  customerWithoutTaxCode: string;
  opportunitiesReadyToWin: string[];
  opportunityWithoutTaxCode: string;
  opportunitiesWithoutMaster: string[];
  fullCreditMemo: string | null;
  partialCreditMemo: string | null;
  billingCutoff: DateStr;
};
