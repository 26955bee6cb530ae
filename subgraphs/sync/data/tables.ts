import type { Generated, Selectable } from 'kysely';

/** The sync schema as kysely sees it: only this system's tables are reachable from its code. */
export type SyncDatabase = {
  'sync.jobs': JobsTable;
  'sync.job_attempts': JobAttemptsTable;
  'sync.job_events': JobEventsTable;
  'sync.audit_log': AuditLogTable;
};

// The list lives in lib: the mapping file (lib/mapping.ts) names job kinds in its SLOs and lib imports no subgraph.
import { SYNC_JOB_KINDS, type SyncJobKind } from '../../../lib/job-kinds.ts';

export { SYNC_JOB_KINDS, type SyncJobKind };

export const SYNC_JOB_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'RETRYING', 'EXCEPTION', 'DEAD_LETTERED', 'CANCELLED'] as const;
export type SyncJobStatus = (typeof SYNC_JOB_STATUSES)[number];

/**
 * What a job was started for: the GraphQL type name of the source record in the system that owns it
 * (`SyncSource.type`). The one spelling both the live path and the demo seed write, so the column
 * type makes the compiler refuse a second vocabulary (the seed once wrote `OPPORTUNITY`, the live
 * path `Opportunity`, and `SyncSource.type` answered both).
 */
export const SYNC_SOURCE_TYPES = [
  'Opportunity',
  'Timesheet',
  'Project',
  'Invoice',
  'CreditMemo',
  'Payment',
  'WriteOff',
  'WipWriteOff',
  'CustomerFinancialMaster',
  'RateCardRate',
  'RateOverride',
  'Period',
] as const;
export type SyncSourceType = (typeof SYNC_SOURCE_TYPES)[number];

export type SyncTrigger = 'AUTOMATIC' | 'MANUAL';
export type AttemptOutcome = 'SUCCEEDED' | 'FAILED' | 'EXCEPTION';

/**
 * Target references as stored: `{ "<system>": { "<type>": "<id>" | ["<id>", ...] } }`, so the engine
 * can merge one system's references with a jsonb `||` without reading the others.
 */
export type TargetRefs = Record<string, Record<string, string | string[]>>;

export type JobsTable = {
  id: string;
  /** The W3C traceparent of the request that enqueued the job (tracing on), for the link from its run. */
  trace_parent: Generated<string | null>;
  kind: SyncJobKind;
  source_type: SyncSourceType;
  source_id: string;
  source_key: string;
  status: SyncJobStatus;
  trigger: Generated<SyncTrigger>;
  triggered_by: string | null;
  customer_id: string | null;
  project_id: string | null;
  invoice_id: string | null;
  journal_entry_id: string | null;
  target_refs: Generated<TargetRefs>;
  payload: Generated<unknown>;
  mapping_version: string | null;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  last_error_code: string | null;
  last_error_message: string | null;
  last_error_system: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
};

export type JobAttemptsTable = {
  id: Generated<number>;
  job_id: string;
  attempt_no: number;
  worker_id: string | null;
  started_at: Generated<Date>;
  finished_at: Date | null;
  outcome: AttemptOutcome | null;
  error_code: string | null;
  error_message: string | null;
  error_system: string | null;
};

export type JobEventsTable = {
  /** bigint identity; lib/db.ts parses int8 to a number and refuses values beyond 2^53. */
  sequence: Generated<number>;
  job_id: string;
  status: SyncJobStatus;
  event: string;
  detail: Generated<unknown>;
  at: Generated<Date>;
};

/** Written by the gateway (gateway/audit.ts, raw SQL), read by the sync subgraph's auditLog. */
export type AuditLogTable = {
  /** bigint identity; lib/db.ts parses int8 to a number. */
  id: Generated<number>;
  at: Generated<Date>;
  actor: string;
  role: string;
  customer_id: string | null;
  operation_name: string | null;
  fields: string[];
  variables_sha256: string;
  outcome: 'OK' | 'ERROR';
  error_codes: Generated<string[]>;
  request_id: string | null;
};

export type Job = Selectable<JobsTable>;
export type JobAttempt = Selectable<JobAttemptsTable>;
export type JobEvent = Selectable<JobEventsTable>;
export type AuditRow = Selectable<AuditLogTable>;
