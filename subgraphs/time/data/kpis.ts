import { type Kysely, sql, type Transaction } from 'kysely';
import type { TimeDatabase } from './tables.ts';

// Read-only aggregates for the hub's KPIs (subgraphs/sync/kpis): grouped rows, never one per entry.

type Db = Kysely<TimeDatabase> | Transaction<TimeDatabase>;

/** A calendar bucket as PostgreSQL's date_trunc names it (weeks start on Monday). */
export type TruncUnit = 'day' | 'week' | 'month';

export type TimesheetApprovalRow = { resource_id: string; week_start: string; approved_on: string };

/**
 * The approval day (UTC) of every approved timesheet of weeks `fromWeek`..`toWeek`. A timesheet is one
 * resource's week, so a billable item (resource, work day) finds its approval here without the hub
 * shipping time entry ids from one system to the other.
 */
export async function timesheetApprovals(db: Db, fromWeek: string, toWeek: string): Promise<TimesheetApprovalRow[]> {
  const r = await sql<TimesheetApprovalRow>`
    select resource_id, week_start::text as week_start, (decided_at at time zone 'UTC')::date as approved_on
    from time.timesheets
    where status = 'APPROVED' and decided_at is not null and week_start between ${fromWeek} and ${toWeek}`.execute(db);
  return r.rows;
}

export type BillableMinutesRow = { project_id: string; period: string; minutes: number };

/** Billable minutes recorded (every approval status but REJECTED) per project and calendar bucket of the work day. */
export async function billableMinutesByProject(db: Db, from: string, to: string, unit: TruncUnit): Promise<BillableMinutesRow[]> {
  const r = await sql<BillableMinutesRow>`
    select project_id, date_trunc(${unit}, work_date::timestamp)::date as period, sum(minutes)::bigint as minutes
    from time.time_entries
    where billable and status <> 'REJECTED' and work_date between ${from}::date and ${to}::date
    group by 1, 2`.execute(db);
  return r.rows;
}
