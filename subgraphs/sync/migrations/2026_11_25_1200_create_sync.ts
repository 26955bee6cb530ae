import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Our ledger of sync jobs: the source of truth for status, audit and replay, whatever engine runs them.
    create table sync.jobs (
      id text primary key,
      kind text not null,
      source_type text not null,
      source_id text not null,
      -- Idempotency: one job per kind and source key; a second trigger finds the first.
      source_key text not null,
      status text not null check (status in ('QUEUED','RUNNING','SUCCEEDED','RETRYING','EXCEPTION','DEAD_LETTERED','CANCELLED')),
      trigger text not null default 'AUTOMATIC' check (trigger in ('AUTOMATIC','MANUAL')),
      triggered_by text,
      customer_id text,
      project_id text,
      invoice_id text,
      journal_entry_id text,
      target_refs jsonb not null default '{}'::jsonb,
      payload jsonb not null default '{}'::jsonb,
      mapping_version text,
      attempts integer not null default 0,
      max_attempts integer not null default 5,
      last_error_code text,
      last_error_message text,
      last_error_system text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      unique (kind, source_key)
    );
    create index jobs_status_idx on sync.jobs (status, updated_at);
    create index jobs_customer_idx on sync.jobs (customer_id);
    create index jobs_project_idx on sync.jobs (project_id);
    -- Invoice.syncJobs and the invoiceId / sourceId filters look jobs up by these.
    create index jobs_invoice_idx on sync.jobs (invoice_id);
    create index jobs_source_idx on sync.jobs (source_id);
    create index jobs_created_idx on sync.jobs (created_at, id);

    create table sync.job_attempts (
      id bigint generated always as identity primary key,
      job_id text not null references sync.jobs(id),
      attempt_no integer not null,
      worker_id text,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      outcome text check (outcome in ('SUCCEEDED','FAILED','EXCEPTION')),
      error_code text,
      error_message text,
      error_system text,
      unique (job_id, attempt_no)
    );

    -- Every status change, in commit order of sequence numbers; clients resume streams from a sequence.
    create table sync.job_events (
      sequence bigint generated always as identity primary key,
      job_id text not null references sync.jobs(id),
      status text not null,
      event text not null,
      detail jsonb not null default '{}'::jsonb,
      at timestamptz not null default now()
    );
    create index job_events_job_idx on sync.job_events (job_id, sequence);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table sync.job_events, sync.job_attempts, sync.jobs`.execute(db);
}
