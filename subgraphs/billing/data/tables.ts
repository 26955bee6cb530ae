import type { Generated, Selectable } from 'kysely';

/** The billing schema as kysely sees it: only this system's tables are reachable from its code. */
export type BillingDatabase = {
  'billing.accounts': AccountsTable;
  'billing.rules': RulesTable;
  'billing.milestones': MilestonesTable;
  'billing.number_sequences': NumberSequencesTable;
  'billing.invoices': InvoicesTable;
  'billing.invoice_lines': InvoiceLinesTable;
  'billing.billable_items': BillableItemsTable;
  'billing.credit_memos': CreditMemosTable;
  'billing.credit_memo_lines': CreditMemoLinesTable;
  'billing.invoice_payments': InvoicePaymentsTable;
  'billing.invoice_write_offs': InvoiceWriteOffsTable;
  'billing.billing_runs': BillingRunsTable;
};

export type BillingModel = 'TIME_AND_MATERIALS' | 'FIXED_FEE' | 'MILESTONES';
export type RoundingMode = 'UP' | 'NEAREST' | 'DOWN';
export type MilestoneStatus = 'PLANNED' | 'INVOICED' | 'CANCELLED';
export type DocumentType = 'INVOICE' | 'CREDIT_MEMO';
export type InvoiceStatus = 'DRAFT' | 'ISSUED' | 'PARTIALLY_PAID' | 'PAID' | 'CREDITED' | 'WRITTEN_OFF' | 'VOID';
export type InvoiceLineKind = 'TIME' | 'MILESTONE' | 'FIXED_FEE' | 'ADJUSTMENT';
export type BillableItemStatus = 'UNBILLED' | 'INVOICED' | 'WRITTEN_OFF' | 'CREDITED';
export type SourceType = 'TIME_ENTRY';
export type TimeDisposition = 'UNBILL' | 'WRITE_OFF';

export type AccountsTable = {
  customer_id: string;
  name: string;
  legal_entity_id: string;
  currency: string;
  payment_terms_days: number;
  tax_code: string;
  updated_at: Generated<Date>;
};

export type RulesTable = {
  project_id: string;
  customer_id: string;
  contract_id: string;
  legal_entity_id: string;
  billing_model: BillingModel;
  currency: string;
  cap_minor: number | null;
  fixed_fee_minor: number | null;
  rounding_increment_minutes: Generated<number>;
  rounding_mode: Generated<RoundingMode>;
  service_line: string;
  active: Generated<boolean>;
  created_at: Generated<Date>;
};

export type MilestonesTable = {
  id: string;
  project_id: string;
  name: string;
  amount_minor: number;
  currency: string;
  due_date: string;
  status: Generated<MilestoneStatus>;
};

export type NumberSequencesTable = { legal_entity_id: string; document_type: DocumentType; prefix: string; next_number: Generated<number> };

export type InvoicesTable = {
  id: string;
  number: string | null;
  legal_entity_id: string;
  customer_id: string;
  project_id: string;
  contract_id: string | null;
  currency: string;
  status: Generated<InvoiceStatus>;
  issue_date: string | null;
  due_date: string | null;
  period_start: string | null;
  period_end: string | null;
  subtotal_minor: Generated<number>;
  tax_minor: Generated<number>;
  total_minor: Generated<number>;
  /** Cash applied (lib/settlement.ts): at most what the invoice is still worth after credits. */
  paid_minor: Generated<number>;
  credited_minor: Generated<number>;
  /** Cash the erp received for it, applied or not. */
  received_minor: Generated<number>;
  /** Bad-debt write-offs the erp made; `written_off_minor` is what they settle to. */
  write_offs_minor: Generated<number>;
  written_off_minor: Generated<number>;
  created_at: Generated<Date>;
  issued_at: Date | null;
};

export type InvoiceLinesTable = {
  id: string;
  invoice_id: string;
  line_no: number;
  kind: InvoiceLineKind;
  description: string;
  /** numeric(14,2): pg hands it over as a decimal string, which keeps it exact. */
  quantity: string;
  unit_price_minor: number;
  amount_minor: number;
  tax_code: string;
  tax_rate_bp: number;
  tax_minor: number;
  service_line: string;
  milestone_id: string | null;
  credited_minor: Generated<number>;
};

export type BillableItemsTable = {
  id: string;
  source_type: SourceType;
  source_id: string;
  project_id: string;
  customer_id: string;
  resource_id: string;
  role: string | null;
  work_date: string;
  source_minutes: number;
  minutes: number;
  rate_minor: number;
  rate_source: string;
  amount_minor: number;
  currency: string;
  status: Generated<BillableItemStatus>;
  invoice_line_id: string | null;
  created_at: Generated<Date>;
};

export type CreditMemosTable = {
  id: string;
  number: string;
  legal_entity_id: string;
  invoice_id: string;
  customer_id: string;
  currency: string;
  issue_date: string;
  reason: string;
  time_disposition: TimeDisposition;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  created_at: Generated<Date>;
};

export type CreditMemoLinesTable = { id: string; credit_memo_id: string; invoice_line_id: string; amount_minor: number; tax_minor: number };

export type InvoicePaymentsTable = { id: string; invoice_id: string; erp_payment_id: string; amount_minor: number; received_on: string };

export type InvoiceWriteOffsTable = {
  id: string;
  invoice_id: string;
  erp_write_off_id: string;
  amount_minor: number;
  written_off_on: string;
};

export type BillingRunsTable = {
  run_key: string;
  project_id: string;
  through: string;
  issue_date: string;
  invoice_ids: string[];
  written_off_item_ids: Generated<string[]>;
  created_at: Generated<Date>;
};

export type Account = Selectable<AccountsTable>;
export type Rule = Selectable<RulesTable>;
export type Milestone = Selectable<MilestonesTable>;
export type Invoice = Selectable<InvoicesTable>;
export type BillableItem = Selectable<BillableItemsTable>;
export type CreditMemo = Selectable<CreditMemosTable>;
export type InvoicePayment = Selectable<InvoicePaymentsTable>;
/** Lines carry no currency of their own: it is their document's, joined in when they are read. */
export type InvoiceLine = Selectable<InvoiceLinesTable> & { currency: string };
export type CreditMemoLine = Selectable<CreditMemoLinesTable> & { currency: string };
