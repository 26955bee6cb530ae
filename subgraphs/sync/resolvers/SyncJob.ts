import { load, type SyncContext } from '../context.ts';
import type { Job, JobAttempt, TargetRefs } from '../data/tables.ts';

export type SyncTarget = { system: string; type: string; id: string };
export type SyncError = { code: string; message: string; system: string | null };

/** Flattens `{ system: { type: id | [ids] } }` into one entry per id; anything malformed is skipped, not fatal. */
export function flattenTargets(refs: TargetRefs | null | undefined): SyncTarget[] {
  const out: SyncTarget[] = [];
  for (const [system, byType] of Object.entries(refs ?? {})) {
    if (!byType || typeof byType !== 'object') continue;
    for (const [type, ids] of Object.entries(byType)) {
      for (const id of Array.isArray(ids) ? ids : [ids]) {
        if (typeof id === 'string' && id) out.push({ system, type, id });
      }
    }
  }
  return out;
}

/** An error is present when its code is; the message falls back to the code so the field stays non-null. */
export function syncError(code: string | null, message: string | null, system: string | null): SyncError | null {
  return code ? { code, message: message ?? code, system } : null;
}

const ref = (id: string | null) => (id ? { id } : null);

export const SyncJobResolvers = {
  __resolveReference: (r: { id: string }, ctx: SyncContext) => load.job(ctx).load(r.id),
  source: (j: Job) => ({ type: j.source_type, id: j.source_id }),
  sourceKey: (j: Job) => j.source_key,
  triggeredBy: (j: Job) => j.triggered_by,
  customer: (j: Job) => ref(j.customer_id),
  project: (j: Job) => ref(j.project_id),
  invoice: (j: Job) => ref(j.invoice_id),
  journalEntry: (j: Job) => ref(j.journal_entry_id),
  targets: (j: Job) => flattenTargets(j.target_refs),
  mappingVersion: (j: Job) => j.mapping_version,
  attemptCount: (j: Job) => j.attempts,
  maxAttempts: (j: Job) => j.max_attempts,
  attempts: (j: Job, _: unknown, ctx: SyncContext) => load.attempts(ctx).load(j.id),
  events: (j: Job, _: unknown, ctx: SyncContext) => load.events(ctx).load(j.id),
  lastError: (j: Job) => syncError(j.last_error_code, j.last_error_message, j.last_error_system),
  createdAt: (j: Job) => j.created_at,
  updatedAt: (j: Job) => j.updated_at,
  startedAt: (j: Job) => j.started_at,
  finishedAt: (j: Job) => j.finished_at,
  // Same definition as the percentiles in data/stats.ts (DURATION_MS), so the two always agree.
  durationMs: (j: Job) => (j.started_at && j.finished_at ? Math.round(j.finished_at.getTime() - j.started_at.getTime()) : null),
};

export const SyncAttemptResolvers = {
  attemptNo: (a: JobAttempt) => a.attempt_no,
  worker: (a: JobAttempt) => a.worker_id,
  started: (a: JobAttempt) => a.started_at,
  finished: (a: JobAttempt) => a.finished_at,
  error: (a: JobAttempt) => syncError(a.error_code, a.error_message, a.error_system),
};
