import { type Kysely, sql, type Transaction } from 'kysely';
import type { SyncDatabase, SyncJobKind, SyncJobStatus } from './tables.ts';

type Db = Kysely<SyncDatabase> | Transaction<SyncDatabase>;

export type StatsFilter = { createdFrom?: Date | null; createdTo?: Date | null };

/** One row per kind and status; the percentiles are set on the SUCCEEDED row only. */
export type JobStatRow = {
  kind: SyncJobKind;
  status: SyncJobStatus;
  count: number;
  p50_ms: number | null;
  p95_ms: number | null;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
};

/**
 * How long a job ran, in ms: first start to finish (retries and backoff included), as the job's
 * `durationMs` field shows it. Null until the job has both timestamps.
 */
export const DURATION_MS = sql<number>`extract(epoch from (finished_at - started_at)) * 1000`;

/** The synchronization SLO: from the triggering write (the job is created in its transaction) to done. */
export const LATENCY_MS = sql<number>`extract(epoch from (finished_at - created_at)) * 1000`;

/**
 * Job counts per kind and status, with p50/p95 durations of succeeded jobs, in one statement.
 * Grouping by status already isolates the SUCCEEDED jobs, so the percentile needs no FILTER per kind.
 */
// Milliseconds are bigint: a job parked for weeks before it succeeds is past int's 24.8 days.
export function jobStats(db: Db, filter: StatsFilter = {}): Promise<JobStatRow[]> {
  let q = db
    .selectFrom('sync.jobs')
    .select([
      'kind',
      'status',
      sql<number>`count(*)::int`.as('count'),
      sql<number | null>`round(percentile_cont(0.5) within group (order by ${DURATION_MS}) filter (where status = 'SUCCEEDED'))::bigint`.as(
        'p50_ms',
      ),
      sql<
        number | null
      >`round(percentile_cont(0.95) within group (order by ${DURATION_MS}) filter (where status = 'SUCCEEDED'))::bigint`.as('p95_ms'),
      sql<number | null>`round(percentile_cont(0.5) within group (order by ${LATENCY_MS}) filter (where status = 'SUCCEEDED'))::bigint`.as(
        'latency_p50_ms',
      ),
      sql<number | null>`round(percentile_cont(0.95) within group (order by ${LATENCY_MS}) filter (where status = 'SUCCEEDED'))::bigint`.as(
        'latency_p95_ms',
      ),
    ]);
  if (filter.createdFrom) q = q.where('created_at', '>=', filter.createdFrom);
  if (filter.createdTo) q = q.where('created_at', '<', filter.createdTo);
  return q.groupBy(['kind', 'status']).orderBy('kind').orderBy('status').execute();
}
