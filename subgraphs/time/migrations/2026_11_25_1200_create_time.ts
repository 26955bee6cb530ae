import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- The time system's own lists of people and projects (a time app keeps its own), kept in step
    -- with psa by sync; "time on unknown or closed projects" is reconciled against psa.
    create table time.resources (
      id text primary key,
      name text not null,
      active boolean not null default true
    );

    create table time.projects (
      id text primary key,
      customer_id text not null,
      name text not null,
      status text not null check (status in ('ACTIVE','CLOSED')),
      billable boolean not null default true
    );

    create table time.timesheets (
      id text primary key,
      resource_id text not null references time.resources(id),
      week_start date not null check (extract(isodow from week_start) = 1),
      status text not null default 'DRAFT' check (status in ('DRAFT','SUBMITTED','APPROVED','REJECTED')),
      submitted_at timestamptz,
      decided_at timestamptz,
      decided_by text,
      rejection_reason text,
      created_at timestamptz not null default now(),
      unique (resource_id, week_start)
    );
    create index timesheets_status_idx on time.timesheets (status, week_start);

    create table time.time_entries (
      id text primary key,
      timesheet_id text not null references time.timesheets(id),
      resource_id text not null references time.resources(id),
      project_id text not null references time.projects(id),
      customer_id text not null,
      task_id text,
      work_date date not null,
      minutes integer not null check (minutes > 0 and minutes <= 1440 and minutes % 15 = 0),
      billable boolean not null default true,
      notes text,
      -- Mirrors the timesheet status, kept per entry so hours-by-status aggregates need no join.
      status text not null default 'DRAFT' check (status in ('DRAFT','SUBMITTED','APPROVED','REJECTED')),
      billing_status text not null default 'UNBILLED' check (billing_status in ('UNBILLED','BILLED','WRITTEN_OFF')),
      rate_override_minor bigint check (rate_override_minor >= 0),
      external_ref text unique,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index time_entries_project_idx on time.time_entries (project_id, work_date, id);
    create index time_entries_resource_idx on time.time_entries (resource_id, work_date);
    create index time_entries_customer_idx on time.time_entries (customer_id);
    create index time_entries_timesheet_idx on time.time_entries (timesheet_id);
    create index time_entries_wip_idx on time.time_entries (project_id) where status = 'APPROVED' and billing_status = 'UNBILLED';
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table time.time_entries, time.timesheets, time.projects, time.resources`.execute(db);
}
