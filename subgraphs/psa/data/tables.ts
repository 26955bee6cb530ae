import type { Generated, Selectable } from 'kysely';

/** The psa schema as kysely sees it: only this system's tables are reachable from its code. */
export type PsaDatabase = {
  'psa.customer_refs': CustomerRefsTable;
  'psa.rate_cards': RateCardsTable;
  'psa.rate_card_rates': RateCardRatesTable;
  'psa.resources': ResourcesTable;
  'psa.projects': ProjectsTable;
  'psa.contracts': ContractsTable;
  'psa.rate_overrides': RateOverridesTable;
  'psa.tasks': TasksTable;
  'psa.assignments': AssignmentsTable;
};

export type ProjectStatus = 'DRAFT' | 'ACTIVE' | 'CLOSED';
export type BillingModel = 'TIME_AND_MATERIALS' | 'FIXED_FEE' | 'MILESTONES';
export type RoundingMode = 'UP' | 'NEAREST' | 'DOWN';
export type RateOverrideScope = 'PROJECT_RESOURCE' | 'PROJECT_ROLE' | 'CUSTOMER_ROLE';

export type CustomerRefsTable = {
  customer_id: string;
  name: string;
  legal_entity_id: string | null;
  currency: string | null;
  payment_terms_days: number | null;
  updated_at: Generated<Date>;
};

export type RateCardsTable = { id: string; name: string; currency: string; created_at: Generated<Date> };
export type RateCardRatesTable = { id: string; rate_card_id: string; role: string; rate_minor: number; effective_from: string };

export type ResourcesTable = {
  id: string;
  name: string;
  email: string | null;
  role: string;
  cost_rate_minor: number;
  cost_currency: string;
  legal_entity_id: string;
  capacity_minutes_per_week: number;
  active: Generated<boolean>;
  created_at: Generated<Date>;
};

export type ProjectsTable = {
  id: string;
  code: string;
  name: string;
  customer_id: string;
  opportunity_id: string | null;
  legal_entity_id: string;
  currency: string;
  billable: Generated<boolean>;
  start_date: string;
  end_date: string | null;
  status: ProjectStatus;
  budget_minutes: number | null;
  budget_fee_minor: number | null;
  service_line: string;
  rate_card_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type ContractsTable = {
  id: string;
  project_id: string;
  customer_id: string;
  billing_model: BillingModel;
  currency: string;
  cap_minor: number | null;
  fixed_fee_minor: number | null;
  rounding_increment_minutes: Generated<number>;
  rounding_mode: Generated<RoundingMode>;
  start_date: string;
  end_date: string | null;
  status: ProjectStatus;
  created_at: Generated<Date>;
};

export type RateOverridesTable = {
  id: string;
  scope: RateOverrideScope;
  project_id: string | null;
  customer_id: string | null;
  resource_id: string | null;
  role: string | null;
  rate_minor: number;
  currency: string;
  effective_from: string;
};

export type TasksTable = { id: string; project_id: string; name: string; billable: Generated<boolean> };

export type AssignmentsTable = {
  id: string;
  project_id: string;
  resource_id: string;
  role: string;
  start_date: string;
  end_date: string | null;
  planned_minutes: Generated<number>;
};

export type CustomerRef = Selectable<CustomerRefsTable>;
export type RateCard = Selectable<RateCardsTable>;
export type RateCardRate = Selectable<RateCardRatesTable>;
export type Resource = Selectable<ResourcesTable>;
export type Project = Selectable<ProjectsTable>;
export type Contract = Selectable<ContractsTable>;
export type RateOverride = Selectable<RateOverridesTable>;
export type Task = Selectable<TasksTable>;
export type Assignment = Selectable<AssignmentsTable>;
