/**
 * Row shapes of every table the seed fills, derived from each system's `data/tables.ts` so a column
 * added, renamed or narrowed there reaches the seed through the compiler instead of a second list.
 * A seed row sets every column of its table except those named as left to their database default
 * (identity columns, error columns); rows travel as JSON (seed/write.ts), so instants are ISO strings
 * where the tables say Date. Money is in minor units, dates are YYYY-MM-DD.
 */
import type { Selectable } from 'kysely';
import type * as billing from '../subgraphs/billing/data/tables.ts';
import type * as crm from '../subgraphs/crm/data/tables.ts';
import type * as erp from '../subgraphs/erp/data/tables.ts';
import type * as psa from '../subgraphs/psa/data/tables.ts';
import type * as sync from '../subgraphs/sync/data/tables.ts';
import type * as time from '../subgraphs/time/data/tables.ts';

type DateStr = string;

/** A Date column as it travels in the seed's JSON: an ISO string (null stays null). */
type AsJson<V> = V extends Date ? string : V;

/**
 * The row the seed writes into a table: every column as kysely selects it (defaults included, since
 * the seed sets them for a realistic history), minus the columns `Defaulted` leaves to the database.
 */
type SeedRow<Table, Defaulted extends keyof Table = never> = {
  [K in Exclude<keyof Selectable<Table>, Defaulted>]: AsJson<Selectable<Table>[K]>;
};

export type OpportunityStage = crm.OpportunityStage;
export type BillingModel = crm.BillingModel;
export type RoundingMode = psa.RoundingMode;
export type TimesheetStatus = time.ApprovalStatus;
export type InvoiceLineKind = billing.InvoiceLineKind;

// ---- erp
export type LegalEntityRow = SeedRow<erp.LegalEntitiesTable>;
export type AccountRow = SeedRow<erp.AccountsTable>;
export type PeriodRow = SeedRow<erp.PeriodsTable>;
export type FxRateRow = SeedRow<erp.FxRatesTable>;
export type CustomerMasterRow = SeedRow<erp.CustomerMastersTable>;
export type JournalEntryRow = SeedRow<erp.JournalEntriesTable>;
export type JournalLineRow = SeedRow<erp.JournalLinesTable>;
// Write-offs came after the demo history: the seed leaves their totals at the default, zero.
export type ReceivableRow = SeedRow<erp.ReceivablesTable, 'write_offs_minor' | 'written_off_minor'>;
export type ErpPaymentRow = SeedRow<erp.PaymentsTable>;
export type ContractRefRow = SeedRow<erp.ContractRefsTable>;

// ---- crm
export type CustomerRow = SeedRow<crm.CustomersTable>;
export type ContactRow = SeedRow<crm.ContactsTable>;
export type OpportunityRow = SeedRow<crm.OpportunitiesTable>;
export type StageHistoryRow = SeedRow<crm.StageHistoryTable, 'id'>;
export type WorkstreamRow = SeedRow<crm.WorkstreamsTable>;
export type OpportunityMilestoneRow = SeedRow<crm.OpportunityMilestonesTable>;

// ---- psa
export type CustomerRefRow = SeedRow<psa.CustomerRefsTable>;
export type RateCardRow = SeedRow<psa.RateCardsTable>;
export type RateCardRateRow = SeedRow<psa.RateCardRatesTable>;
export type ResourceRow = SeedRow<psa.ResourcesTable>;
export type ProjectRow = SeedRow<psa.ProjectsTable>;
export type ContractRow = SeedRow<psa.ContractsTable>;
export type RateOverrideRow = SeedRow<psa.RateOverridesTable>;
export type TaskRow = SeedRow<psa.TasksTable>;
export type AssignmentRow = SeedRow<psa.AssignmentsTable>;

// ---- time
export type TimeResourceRow = SeedRow<time.ResourcesTable>;
export type TimeProjectRow = SeedRow<time.ProjectsTable>;
export type TimesheetRow = SeedRow<time.TimesheetsTable>;
export type TimeEntryRow = SeedRow<time.TimeEntriesTable>;

// ---- billing
export type BillingAccountRow = SeedRow<billing.AccountsTable>;
export type BillingRuleRow = SeedRow<billing.RulesTable>;
export type BillingMilestoneRow = SeedRow<billing.MilestonesTable>;
export type NumberSequenceRow = SeedRow<billing.NumberSequencesTable>;
// As erp.receivables: write-off totals stay at their default, zero.
export type InvoiceRow = SeedRow<billing.InvoicesTable, 'write_offs_minor' | 'written_off_minor'>;
export type InvoiceLineRow = SeedRow<billing.InvoiceLinesTable>;
export type BillableItemRow = SeedRow<billing.BillableItemsTable>;
export type CreditMemoRow = SeedRow<billing.CreditMemosTable>;
export type CreditMemoLineRow = SeedRow<billing.CreditMemoLinesTable>;
export type InvoicePaymentRow = SeedRow<billing.InvoicePaymentsTable>;

// ---- sync
export type SyncJobRow = SeedRow<sync.JobsTable, 'trace_parent' | 'last_error_code' | 'last_error_message' | 'last_error_system'>;
export type SyncJobAttemptRow = SeedRow<sync.JobAttemptsTable, 'id' | 'error_code' | 'error_message' | 'error_system'>;
export type SyncJobEventRow = SeedRow<sync.JobEventsTable, 'sequence'>;

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
