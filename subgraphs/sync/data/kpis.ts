import { type Kysely, sql, type Transaction } from 'kysely';
import type { SyncDatabase } from './tables.ts';

// The sync ledger's share of the KPIs (subgraphs/sync/kpis). Job and event timestamps are the
// database's clock throughout (sync-jobs/ledger.ts), so every duration here is on one clock.

type Db = Kysely<SyncDatabase> | Transaction<SyncDatabase>;

/** A calendar bucket as PostgreSQL's date_trunc names it (weeks start on Monday). */
export type TruncUnit = 'day' | 'week' | 'month';

export type ActivationRow = { project_id: string | null; day: string; hours: number };

/**
 * Won deals whose project activation succeeded, by the day (UTC) of the win: hours from the win (the
 * job is enqueued in the win's transaction) to the activated project (the job's success commits with
 * the project). One row per deal: percentiles need the values.
 */
export async function projectActivations(db: Db, from: string, to: string): Promise<ActivationRow[]> {
  const r = await sql<ActivationRow>`
    select project_id, (created_at at time zone 'UTC')::date as day,
           (extract(epoch from (finished_at - created_at)) / 3600)::float8 as hours
    from sync.jobs
    where kind = 'OPPORTUNITY_WON' and status = 'SUCCEEDED' and finished_at is not null
      and created_at >= ${from}::date and created_at < ${to}::date + 1`.execute(db);
  return r.rows;
}

export type EffortRow = {
  project_id: string | null;
  period: string;
  exceptions: number;
  operator_actions: number;
  resolved: number;
  waiting_hours: number;
};

/**
 * What the sync cost people, per project and bucket of the event's day: jobs that stopped for an
 * operator (EXCEPTION or DEAD_LETTERED events), operator actions (retry, replay, resolve, cancel), and
 * the hours stopped jobs waited until the next status change (those still waiting are counted as
 * exceptions but add no hours until someone acts).
 */
export async function reconciliationEffort(db: Db, from: string, to: string, unit: TruncUnit): Promise<EffortRow[]> {
  const r = await sql<EffortRow>`
    with ev as (
      select e.job_id, e.status, e.event, e.at, lead(e.at) over (partition by e.job_id order by e.sequence) as next_at
      from sync.job_events e
      where e.job_id in (select job_id from sync.job_events where at >= ${from}::date and at < ${to}::date + 1
                           and (status in ('EXCEPTION', 'DEAD_LETTERED') or event in ('RETRIED', 'REPLAYED', 'EXCEPTION_RESOLVED', 'CANCELLED')))
    )
    select j.project_id, date_trunc(${unit}, ev.at at time zone 'UTC')::date as period,
           count(*) filter (where ev.status in ('EXCEPTION', 'DEAD_LETTERED'))::int as exceptions,
           count(*) filter (where ev.event in ('RETRIED', 'REPLAYED', 'EXCEPTION_RESOLVED', 'CANCELLED'))::int as operator_actions,
           count(*) filter (where ev.status in ('EXCEPTION', 'DEAD_LETTERED') and ev.next_at is not null)::int as resolved,
           coalesce(sum(extract(epoch from (ev.next_at - ev.at))) filter (where ev.status in ('EXCEPTION', 'DEAD_LETTERED')), 0)::float8 / 3600
             as waiting_hours
    from ev join sync.jobs j on j.id = ev.job_id
    where ev.at >= ${from}::date and ev.at < ${to}::date + 1
      and (ev.status in ('EXCEPTION', 'DEAD_LETTERED') or ev.event in ('RETRIED', 'REPLAYED', 'EXCEPTION_RESOLVED', 'CANCELLED'))
    group by 1, 2`.execute(db);
  return r.rows;
}
