import { type Kysely, sql, type Transaction } from 'kysely';
import type { TimeDatabase } from './tables.ts';

// Read-only aggregates for the hub's reconciliation (subgraphs/sync/reconciliation). Each returns one
// row per project, never per entry, so the cost does not grow with the number of time entries.

type Db = Kysely<TimeDatabase> | Transaction<TimeDatabase>;

/** Time of one project, in minutes. WIP buckets count approved, billable, UNBILLED time by age. */
export type ProjectTimeRow = {
  project_id: string;
  /** The time system's project list knows the id (time.projects); the PSA may still not. */
  listed: boolean;
  entry_count: number;
  minutes: number;
  last_work_date: string;
  /** Approved and billable, whatever the billing status: each should have exactly one billable item. */
  approved_billable_count: number;
  approved_billable_minutes: number;
  /** Approved billable entries the time system has BILLED / WRITTEN_OFF: billing's items must say the same. */
  billed_count: number;
  written_off_count: number;
  /** Approved, billable and UNBILLED, by age of the work day at `asOf`: 0-30, 31-60, 61-90, >90 days. */
  wip_minutes_0_30: number;
  wip_minutes_31_60: number;
  wip_minutes_61_90: number;
  wip_minutes_over_90: number;
  oldest_wip_date: string | null;
};

/** One row per project that has time entries. Work dated after `asOf` counts as 0-30 days old. */
export async function timeByProject(db: Db, asOf: string): Promise<ProjectTimeRow[]> {
  const r = await sql<ProjectTimeRow>`
    with e as (
      select project_id, minutes, work_date, billing_status,
             status = 'APPROVED' and billable as approved_billable,
             status = 'APPROVED' and billable and billing_status = 'UNBILLED' as wip,
             (${asOf}::date - work_date) as age
      from time.time_entries
    )
    select e.project_id,
           bool_or(p.id is not null) as listed,
           count(*)::int as entry_count,
           sum(e.minutes)::bigint as minutes,
           max(e.work_date) as last_work_date,
           count(*) filter (where approved_billable)::int as approved_billable_count,
           coalesce(sum(e.minutes) filter (where approved_billable), 0)::bigint as approved_billable_minutes,
           count(*) filter (where approved_billable and e.billing_status = 'BILLED')::int as billed_count,
           count(*) filter (where approved_billable and e.billing_status = 'WRITTEN_OFF')::int as written_off_count,
           coalesce(sum(e.minutes) filter (where wip and age <= 30), 0)::bigint as wip_minutes_0_30,
           coalesce(sum(e.minutes) filter (where wip and age between 31 and 60), 0)::bigint as wip_minutes_31_60,
           coalesce(sum(e.minutes) filter (where wip and age between 61 and 90), 0)::bigint as wip_minutes_61_90,
           coalesce(sum(e.minutes) filter (where wip and age > 90), 0)::bigint as wip_minutes_over_90,
           min(e.work_date) filter (where wip) as oldest_wip_date
    from e left join time.projects p on p.id = e.project_id
    group by e.project_id
    order by e.project_id`.execute(db);
  return r.rows;
}

export type TimeAfterRow = { project_id: string; entry_count: number; minutes: number; first_work_date: string; last_work_date: string };

/** Per project, the time dated after a given day (e.g. a closed project's end date). */
export async function timeAfterDates(db: Db, limits: readonly { projectId: string; after: string }[]): Promise<TimeAfterRow[]> {
  if (limits.length === 0) return [];
  const r = await sql<TimeAfterRow>`
    select e.project_id, count(*)::int as entry_count, sum(e.minutes)::bigint as minutes,
           min(e.work_date) as first_work_date, max(e.work_date) as last_work_date
    from unnest(${limits.map((l) => l.projectId)}::text[], ${limits.map((l) => l.after)}::date[]) as l(project_id, after)
    join time.time_entries e on e.project_id = l.project_id and e.work_date > l.after
    group by e.project_id
    order by e.project_id`.execute(db);
  return r.rows;
}
