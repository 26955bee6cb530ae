import type { Generated, Selectable } from 'kysely';

/** The time schema as kysely sees it: only this system's tables are reachable from its code. */
export type TimeDatabase = {
  'time.resources': ResourcesTable;
  'time.projects': ProjectsTable;
  'time.timesheets': TimesheetsTable;
  'time.time_entries': TimeEntriesTable;
};

export type ApprovalStatus = 'DRAFT' | 'SUBMITTED' | 'APPROVED' | 'REJECTED';
export type BillingStatus = 'UNBILLED' | 'BILLED' | 'WRITTEN_OFF';
export type ProjectStatus = 'ACTIVE' | 'CLOSED';

export type ResourcesTable = { id: string; name: string; active: Generated<boolean> };

export type ProjectsTable = {
  id: string;
  customer_id: string;
  name: string;
  status: ProjectStatus;
  billable: Generated<boolean>;
  /** The project's dates as psa has them; null until known. Time before the start is refused. */
  start_date: Generated<string | null>;
  end_date: Generated<string | null>;
};

export type TimesheetsTable = {
  id: string;
  resource_id: string;
  /** Monday of the ISO week, as YYYY-MM-DD. */
  week_start: string;
  status: Generated<ApprovalStatus>;
  submitted_at: Date | null;
  decided_at: Date | null;
  decided_by: string | null;
  rejection_reason: string | null;
  created_at: Generated<Date>;
};

export type TimeEntriesTable = {
  id: string;
  timesheet_id: string;
  resource_id: string;
  project_id: string;
  customer_id: string;
  task_id: string | null;
  work_date: string;
  minutes: number;
  billable: Generated<boolean>;
  notes: string | null;
  status: Generated<ApprovalStatus>;
  billing_status: Generated<BillingStatus>;
  rate_override_minor: number | null;
  external_ref: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type TimeResource = Selectable<ResourcesTable>;
export type TimeProject = Selectable<ProjectsTable>;
export type Timesheet = Selectable<TimesheetsTable>;
export type TimeEntry = Selectable<TimeEntriesTable>;
