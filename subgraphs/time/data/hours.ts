import { type Kysely, sql, type Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { entryFilter, type TimeEntryFilter } from './filters.ts';
import type { TimeDatabase } from './tables.ts';

type Db = Kysely<TimeDatabase> | Transaction<TimeDatabase>;

/** Minutes by status and billing state for one parent; the HoursSummary resolver turns them into hours. */
export type MinutesSummary = {
  key: string;
  total: number;
  draft: number;
  submitted: number;
  approved: number;
  rejected: number;
  billable: number;
  non_billable: number;
  unbilled: number;
  billed: number;
  written_off: number;
};

export type HoursParent = 'project_id' | 'resource_id' | 'customer_id';

const sumWhere = (condition: ReturnType<typeof sql>) => sql<number>`coalesce(sum(e.minutes) filter (where ${condition}), 0)::bigint`;

/** One grouped statement for every parent asked for; parents without time get no row. */
export function minutesByParent(db: Db, parent: HoursParent, ids: readonly string[], filter?: TimeEntryFilter): Promise<MinutesSummary[]> {
  const parentRef = sql.ref(`e.${parent}`);
  return db
    .selectFrom('time.time_entries as e')
    .select([
      sql<string>`${parentRef}`.as('key'),
      sql<number>`coalesce(sum(e.minutes), 0)::bigint`.as('total'),
      sumWhere(sql`e.status = 'DRAFT'`).as('draft'),
      sumWhere(sql`e.status = 'SUBMITTED'`).as('submitted'),
      sumWhere(sql`e.status = 'APPROVED'`).as('approved'),
      sumWhere(sql`e.status = 'REJECTED'`).as('rejected'),
      sumWhere(sql`e.billable`).as('billable'),
      sumWhere(sql`not e.billable`).as('non_billable'),
      // Work in progress: what the billing flow still has to invoice.
      sumWhere(sql`e.status = 'APPROVED' and e.billable and e.billing_status = 'UNBILLED'`).as('unbilled'),
      sumWhere(sql`e.billing_status = 'BILLED'`).as('billed'),
      sumWhere(sql`e.billing_status = 'WRITTEN_OFF'`).as('written_off'),
    ])
    .where(parentRef, '=', anyOf(ids))
    .where(entryFilter(filter))
    .groupBy(parentRef)
    .execute();
}

/** Total minutes per timesheet. */
export function minutesByTimesheet(db: Db, timesheetIds: readonly string[]): Promise<{ timesheet_id: string; minutes: number }[]> {
  return db
    .selectFrom('time.time_entries')
    .select(['timesheet_id', sql<number>`sum(minutes)::bigint`.as('minutes')])
    .where('timesheet_id', '=', anyOf(timesheetIds))
    .groupBy('timesheet_id')
    .execute();
}
