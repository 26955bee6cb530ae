import type { Generated, Selectable } from 'kysely';

/** The erp schema as kysely sees it: only this system's tables are reachable from its code. */
export type ErpDatabase = {
  'erp.legal_entities': LegalEntitiesTable;
  'erp.customer_masters': CustomerMastersTable;
  'erp.accounts': AccountsTable;
  'erp.periods': PeriodsTable;
  'erp.fx_rates': FxRatesTable;
  'erp.journal_entries': JournalEntriesTable;
  'erp.journal_lines': JournalLinesTable;
  'erp.receivables': ReceivablesTable;
  'erp.payments': PaymentsTable;
  'erp.contract_refs': ContractRefsTable;
  'erp.project_customers': ProjectCustomersTable;
  'erp.customer_credit_balances': CustomerCreditBalancesTable;
  'erp.customer_credit_movements': CustomerCreditMovementsTable;
  'erp.refunds': RefundsTable;
  'erp.write_offs': WriteOffsTable;
  'erp.period_events': PeriodEventsTable;
};

export type LegalEntitiesTable = { id: string; name: string; country: string; functional_currency: string };

export type CustomerMasterStatus = 'ACTIVE' | 'ON_HOLD' | 'INACTIVE';

export type CustomerMastersTable = {
  customer_id: string;
  name: string;
  legal_entity_id: string;
  currency: string;
  tax_code: string | null;
  payment_terms_days: number | null;
  credit_limit_minor: Generated<number>;
  status: Generated<CustomerMasterStatus>;
  updated_at: Generated<Date>;
};

export type AccountType = 'ASSET' | 'LIABILITY' | 'EQUITY' | 'REVENUE' | 'EXPENSE';
export type AccountsTable = { legal_entity_id: string; code: string; name: string; type: AccountType };

export type PeriodStatus = 'OPEN' | 'CLOSED';
export type PeriodsTable = {
  id: string;
  legal_entity_id: string;
  code: string;
  start_date: string;
  end_date: string;
  status: Generated<PeriodStatus>;
  closed_at: Date | null;
};

/** `rate` is numeric(18,8): pg hands it over as a decimal string, which is what convertMoney wants. */
export type FxRatesTable = { from_currency: string; to_currency: string; rate_date: string; rate: string };

export type JournalEntriesTable = {
  id: string;
  legal_entity_id: string;
  entry_date: string;
  period_id: string;
  source_type: string;
  source_id: string;
  memo: string | null;
  currency: string;
  functional_currency: string;
  fx_rate: Generated<string>;
  reverses_id: string | null;
  posted_at: Generated<Date>;
};

export type JournalLinesTable = {
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

export type ReceivableStatus = 'OPEN' | 'PARTIALLY_PAID' | 'PAID' | 'CREDITED' | 'WRITTEN_OFF';
export type ReceivablesTable = {
  id: string;
  invoice_id: string;
  invoice_number: string;
  customer_id: string;
  legal_entity_id: string;
  project_id: string | null;
  currency: string;
  amount_minor: number;
  open_minor: number;
  /** Cash received for the invoice, applied or not (lib/settlement.ts). */
  received_minor: Generated<number>;
  paid_minor: Generated<number>;
  credited_minor: Generated<number>;
  /** Write-offs asked for; `written_off_minor` is what they settle to. */
  write_offs_minor: Generated<number>;
  written_off_minor: Generated<number>;
  issue_date: string;
  due_date: string;
  status: ReceivableStatus;
  journal_entry_id: string | null;
};

export type PaymentsTable = {
  id: string;
  customer_id: string;
  legal_entity_id: string;
  receivable_id: string;
  invoice_id: string;
  amount_minor: number;
  currency: string;
  received_on: string;
  external_ref: string;
  journal_entry_id: string | null;
  created_at: Generated<Date>;
};

export type ContractRefsTable = {
  contract_id: string;
  project_id: string;
  customer_id: string;
  legal_entity_id: string;
  currency: string;
  service_line: string;
  created_at: Generated<Date>;
};

/** The erp's project register: the one customer of each project its ledger rows name (filled by triggers). */
export type ProjectCustomersTable = { project_id: string; customer_id: string };
export type CustomerCreditBalancesTable = {
  customer_id: string;
  legal_entity_id: string;
  currency: string;
  balance_minor: Generated<number>;
  /** What the balance is carried at in the functional currency, so refunds relieve it exactly. */
  functional_minor: Generated<number>;
};

export type CustomerCreditMovementsTable = {
  id: string;
  customer_id: string;
  legal_entity_id: string;
  currency: string;
  amount_minor: number;
  functional_minor: number;
  source_type: string;
  source_id: string;
  invoice_id: string | null;
  journal_entry_id: string | null;
  created_at: Generated<Date>;
};

export type RefundsTable = {
  id: string;
  customer_id: string;
  legal_entity_id: string;
  currency: string;
  amount_minor: number;
  paid_on: string;
  external_ref: string;
  journal_entry_id: string | null;
  created_at: Generated<Date>;
};

export type WriteOffsTable = {
  id: string;
  receivable_id: string;
  invoice_id: string;
  customer_id: string;
  legal_entity_id: string;
  amount_minor: number;
  written_off_on: string;
  reason: string;
  journal_entry_id: string | null;
  created_at: Generated<Date>;
};

export type PeriodEventsTable = {
  id: Generated<number>;
  period_id: string;
  action: 'CLOSE' | 'REOPEN';
  actor: string | null;
  reason: string | null;
  at: Date;
};

export type LegalEntity = Selectable<LegalEntitiesTable>;
export type CustomerMaster = Selectable<CustomerMastersTable>;
export type Account = Selectable<AccountsTable>;
export type Period = Selectable<PeriodsTable>;
export type FxRate = Selectable<FxRatesTable>;
export type JournalEntry = Selectable<JournalEntriesTable>;
export type JournalLine = Selectable<JournalLinesTable>;
export type Receivable = Selectable<ReceivablesTable>;
export type Payment = Selectable<PaymentsTable>;
export type ContractRef = Selectable<ContractRefsTable>;
export type CustomerCreditBalance = Selectable<CustomerCreditBalancesTable>;
export type CustomerCreditMovement = Selectable<CustomerCreditMovementsTable>;
export type Refund = Selectable<RefundsTable>;
export type WriteOff = Selectable<WriteOffsTable>;
export type PeriodEvent = Selectable<PeriodEventsTable>;
