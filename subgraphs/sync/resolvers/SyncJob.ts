import { load } from '../context.ts';
import type { TargetRefs } from '../data/tables.ts';
import type * as gql from './types.generated.ts';

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

export const SyncJobResolvers: gql.SyncJobResolvers = {
  __resolveReference: (r, ctx) => load.job(ctx).load(r.id),
  source: (j) => ({ type: j.source_type, id: j.source_id }),
  sourceKey: (j) => j.source_key,
  triggeredBy: (j) => j.triggered_by,
  customer: (j) => ref(j.customer_id),
  project: (j) => ref(j.project_id),
  invoice: (j) => ref(j.invoice_id),
  journalEntry: (j) => ref(j.journal_entry_id),
  targets: (j) => flattenTargets(j.target_refs),
  mappingVersion: (j) => j.mapping_version,
  attemptCount: (j) => j.attempts,
  maxAttempts: (j) => j.max_attempts,
  attempts: (j, _, ctx) => load.attempts(ctx).load(j.id),
  events: (j, _, ctx) => load.events(ctx).load(j.id),
  lastError: (j) => syncError(j.last_error_code, j.last_error_message, j.last_error_system),
  createdAt: (j) => j.created_at,
  updatedAt: (j) => j.updated_at,
  startedAt: (j) => j.started_at,
  finishedAt: (j) => j.finished_at,
  // Same definition as the percentiles in data/stats.ts (DURATION_MS), so the two always agree.
  durationMs: (j) => (j.started_at && j.finished_at ? Math.round(j.finished_at.getTime() - j.started_at.getTime()) : null),
};

export const SyncAttemptResolvers: gql.SyncAttemptResolvers = {
  attemptNo: (a) => a.attempt_no,
  worker: (a) => a.worker_id,
  started: (a) => a.started_at,
  finished: (a) => a.finished_at,
  error: (a) => syncError(a.error_code, a.error_message, a.error_system),
};
