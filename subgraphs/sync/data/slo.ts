import { type Kysely, sql, type Transaction } from 'kysely';
import { LATENCY_MS } from './stats.ts';
import type { SyncDatabase, SyncJobKind } from './tables.ts';

// The sync ledger's share of the SLO report (subgraphs/sync/kpis/slo.ts). Jobs are judged by the
// window their trigger falls in (created_at); latency is created_at to finished_at, both stamped by
// the database, so the measurement is on one clock.

type Db = Kysely<SyncDatabase> | Transaction<SyncDatabase>;

/** The p95 latency target of each flow, in ms: a job done within it is good, later or failed is bad. */
export type LatencyTarget = { kind: SyncJobKind; p95_ms: number };

export type SloWindow = 'H24' | 'D7';

export type FlowWindowRow = {
  kind: SyncJobKind;
  window: SloWindow;
  jobs: number;
  succeeded: number;
  good: number;
  bad: number;
  pending: number;
  p50_ms: number | null;
  p95_ms: number | null;
  recovered: number;
  recovery_p50_ms: number | null;
  recovery_p95_ms: number | null;
};

const targetsJson = (targets: readonly LatencyTarget[]) => JSON.stringify(targets);

// Good: succeeded within the target. Bad: succeeded late, or stopped (EXCEPTION, DEAD_LETTERED).
// Cancelled jobs are an operator's decision, not the service's failure: left out. Jobs still under
// way are pending: not judged yet.
const GOOD = sql<boolean>`j.status = 'SUCCEEDED' and ${LATENCY_MS} <= t.p95_ms`;
const BAD = sql<boolean>`(j.status = 'SUCCEEDED' and ${LATENCY_MS} > t.p95_ms) or j.status in ('EXCEPTION', 'DEAD_LETTERED')`;

/**
 * Per flow and window (the 24 hours and the 7 days before `until`): jobs triggered, good, bad and
 * pending against the flow's target, p50/p95 trigger-to-done latency of the succeeded ones, and the
 * recovery time of jobs that failed at least once and then succeeded (first failure to success).
 * One statement.
 */
export async function flowWindows(db: Db, until: Date, targets: readonly LatencyTarget[]): Promise<FlowWindowRow[]> {
  const r = await sql<FlowWindowRow>`
    with t as (select * from jsonb_to_recordset(${targetsJson(targets)}::jsonb) as x(kind text, p95_ms float8)),
    w as (select * from (values ('H24', ${until}::timestamptz - interval '24 hours'), ('D7', ${until}::timestamptz - interval '7 days')) as w(win, since)),
    failed as (
      select job_id, min(at) as first_failed_at from sync.job_events
      where status in ('RETRYING', 'EXCEPTION', 'DEAD_LETTERED') and at >= ${until}::timestamptz - interval '7 days'
      group by job_id
    )
    select j.kind, w.win as "window", count(*)::int as jobs,
           count(*) filter (where j.status = 'SUCCEEDED')::int as succeeded,
           count(*) filter (where ${GOOD})::int as good,
           count(*) filter (where ${BAD})::int as bad,
           count(*) filter (where j.status in ('QUEUED', 'RUNNING', 'RETRYING'))::int as pending,
           round(percentile_cont(0.5) within group (order by ${LATENCY_MS}) filter (where j.status = 'SUCCEEDED'))::bigint as p50_ms,
           round(percentile_cont(0.95) within group (order by ${LATENCY_MS}) filter (where j.status = 'SUCCEEDED'))::bigint as p95_ms,
           count(*) filter (where j.status = 'SUCCEEDED' and f.first_failed_at is not null)::int as recovered,
           round(percentile_cont(0.5) within group (order by extract(epoch from (j.finished_at - f.first_failed_at)) * 1000)
             filter (where j.status = 'SUCCEEDED' and f.first_failed_at is not null))::bigint as recovery_p50_ms,
           round(percentile_cont(0.95) within group (order by extract(epoch from (j.finished_at - f.first_failed_at)) * 1000)
             filter (where j.status = 'SUCCEEDED' and f.first_failed_at is not null))::bigint as recovery_p95_ms
    from sync.jobs j
    join t on t.kind = j.kind::text
    join w on j.created_at >= w.since
    left join failed f on f.job_id = j.id
    where j.created_at < ${until}::timestamptz and j.created_at >= ${until}::timestamptz - interval '7 days' and j.status <> 'CANCELLED'
    group by j.kind, w.win
    order by j.kind, w.win`.execute(db);
  return r.rows;
}

export type BurnBucketRow = { kind: SyncJobKind; hours_ago: number; good: number; bad: number };

/**
 * Good and bad jobs per flow and hour of the 7 days before `until`, for burn charts. Hour i holds the
 * jobs triggered in [until - (i+1) h, until - i h): 0 is the last hour.
 */
export async function burnBuckets(db: Db, until: Date, targets: readonly LatencyTarget[]): Promise<BurnBucketRow[]> {
  const r = await sql<BurnBucketRow>`
    with t as (select * from jsonb_to_recordset(${targetsJson(targets)}::jsonb) as x(kind text, p95_ms float8))
    select j.kind, (ceil(extract(epoch from (${until}::timestamptz - j.created_at)) / 3600) - 1)::int as hours_ago,
           count(*) filter (where ${GOOD})::int as good, count(*) filter (where ${BAD})::int as bad
    from sync.jobs j join t on t.kind = j.kind::text
    where j.created_at < ${until}::timestamptz and j.created_at >= ${until}::timestamptz - interval '7 days' and j.status <> 'CANCELLED'
    group by 1, 2
    having count(*) filter (where ${GOOD}) + count(*) filter (where ${BAD}) > 0`.execute(db);
  return r.rows;
}
