import type { Generated, Selectable } from 'kysely';

/** The crm schema as kysely sees it: only this system's tables are reachable from its code. */
export type CrmDatabase = {
  'crm.customers': CustomersTable;
  'crm.contacts': ContactsTable;
  'crm.opportunities': OpportunitiesTable;
  'crm.opportunity_stage_history': StageHistoryTable;
  'crm.workstreams': WorkstreamsTable;
  'crm.opportunity_milestones': OpportunityMilestonesTable;
};

export type CustomersTable = {
  id: string;
  name: string;
  industry: string | null;
  owner: string | null;
  region: string;
  parent_id: string | null;
  legal_entity_id: string | null;
  currency: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type ContactsTable = {
  id: string;
  customer_id: string;
  name: string;
  email: string | null;
  title: string | null;
  created_at: Generated<Date>;
};

export type OpportunityStage = 'PROSPECTING' | 'QUALIFICATION' | 'PROPOSAL' | 'NEGOTIATION' | 'CLOSED_WON' | 'CLOSED_LOST';
export type BillingModel = 'TIME_AND_MATERIALS' | 'FIXED_FEE' | 'MILESTONES';

export type OpportunitiesTable = {
  id: string;
  customer_id: string;
  name: string;
  stage: OpportunityStage;
  amount_minor: number;
  currency: string;
  close_date: string;
  billing_model: BillingModel;
  service_line: string;
  won_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type StageHistoryTable = {
  id: Generated<number>;
  opportunity_id: string;
  stage: OpportunityStage;
  changed_at: Generated<Date>;
  changed_by: string | null;
};
export type WorkstreamsTable = {
  id: string;
  opportunity_id: string;
  role: string;
  minutes: number;
  rate_minor: number;
  description: string | null;
};
export type OpportunityMilestonesTable = { id: string; opportunity_id: string; name: string; amount_minor: number; due_date: string };

export type Customer = Selectable<CustomersTable>;
export type Contact = Selectable<ContactsTable>;
export type Opportunity = Selectable<OpportunitiesTable>;
export type StageChange = Selectable<StageHistoryTable>;
export type Workstream = Selectable<WorkstreamsTable>;
export type OpportunityMilestone = Selectable<OpportunityMilestonesTable>;
