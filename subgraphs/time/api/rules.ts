/** Rules shared by the time system's writes. Every helper runs inside the caller's transaction. */
import type { Transaction } from 'kysely';
import { appError, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { minutesOnDay } from '../data/entries.ts';
import { findProject } from '../data/lists.ts';
import type { ApprovalStatus, TimeDatabase, TimeEntry, TimeProject, Timesheet } from '../data/tables.ts';

export type Trx = Transaction<TimeDatabase>;

const MINUTES_PER_DAY = 24 * 60;

/** Statuses in which a timesheet's entries may be added, changed or removed. */
export const OPEN_STATUSES: ReadonlySet<ApprovalStatus> = new Set(['DRAFT', 'REJECTED']);

/** Monday of the ISO week containing `date`. */
export function isoWeekStart(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** The project, which must exist in the time system's list and be open for time. */
export async function requireActiveProject(trx: Trx, projectId: string, field = 'projectId'): Promise<TimeProject> {
  const project = await findProject(trx, projectId);
  if (!project) throw notFound('Project', projectId);
  if (project.status !== 'ACTIVE') {
    throw appError('INVALID_STATE_TRANSITION', `Project ${projectId} is CLOSED: no time can be recorded on a closed project`, {
      field,
      projectStatus: project.status,
    });
  }
  return project;
}

/**
 * Time is dated within the project's dates as psa has them (the time system's copy). Time before the
 * start used to be accepted; it had no rate, and its pricing failed the whole timesheet.
 */
export function assertWithinProjectDates(project: TimeProject, date: string, field = 'date'): void {
  const before = project.start_date && date < project.start_date;
  const after = project.end_date && date > project.end_date;
  if (before || after)
    throw appError(
      'OUTSIDE_PROJECT_DATES',
      `Project ${project.id} runs ${project.start_date ?? '...'} to ${project.end_date ?? '...'}; no time can be recorded on ${date}`,
      { field, startDate: project.start_date, endDate: project.end_date },
    );
}

export function assertTimesheetOpen(sheet: Timesheet): void {
  if (!OPEN_STATUSES.has(sheet.status)) {
    throw appError(
      'TIME_ENTRY_LOCKED',
      `Timesheet ${sheet.id} (week of ${sheet.week_start}) is ${sheet.status}: its time cannot change unless it is rejected`,
      {
        timesheetId: sheet.id,
        timesheetStatus: sheet.status,
      },
    );
  }
}

export function assertNotBilled(entry: TimeEntry): void {
  if (entry.billing_status === 'BILLED') {
    throw appError('TIME_ENTRY_LOCKED', `Time entry ${entry.id} is billed: billed time needs a credit memo, it cannot be edited`, {
      billingStatus: entry.billing_status,
    });
  }
}

/**
 * The resource's timesheet for the week of `date`, created if missing and locked FOR UPDATE. Every
 * write to a timesheet's entries holds this lock, so concurrent writes for one resource and week
 * (and so one day) are serialised and the daily total check cannot race.
 */
export async function lockTimesheetForWeek(trx: Trx, resourceId: string, date: string): Promise<Timesheet> {
  const weekStart = isoWeekStart(date);
  await trx
    .insertInto('time.timesheets')
    .values({ id: newId('tsh'), resource_id: resourceId, week_start: weekStart })
    .onConflict((oc) => oc.columns(['resource_id', 'week_start']).doNothing())
    .execute();
  return trx
    .selectFrom('time.timesheets')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .where('week_start', '=', weekStart)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export function lockTimesheet(trx: Trx, id: string): Promise<Timesheet | undefined> {
  return trx.selectFrom('time.timesheets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * An entry and its timesheet, both locked, timesheet first (the order every write uses, so two
 * writes never wait on each other crosswise). Re-reads the entry in case it moved week meanwhile.
 */
export async function lockEntryWithTimesheet(trx: Trx, id: string): Promise<{ entry: TimeEntry; sheet: Timesheet }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const seen = await trx.selectFrom('time.time_entries').select('timesheet_id').where('id', '=', id).executeTakeFirst();
    if (!seen) throw notFound('TimeEntry', id);
    const sheet = await lockTimesheet(trx, seen.timesheet_id);
    const entry = await trx.selectFrom('time.time_entries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!entry) throw notFound('TimeEntry', id);
    if (sheet && entry.timesheet_id === sheet.id) return { entry, sheet };
  }
  throw appError('INTERNAL_SERVER_ERROR', `Time entry ${id} kept moving between timesheets; retry`);
}

export async function assertDailyTotal(trx: Trx, resourceId: string, date: string, minutes: number, exceptEntryId?: string): Promise<void> {
  const already = await minutesOnDay(trx, resourceId, date, exceptEntryId);
  if (already + minutes > MINUTES_PER_DAY) {
    throw appError(
      'DAILY_HOURS_EXCEEDED',
      `Resource ${resourceId} already has ${already / 60} h on ${date}; ${minutes / 60} h more would exceed 24 h`,
      {
        field: 'hours',
        date,
        recordedHours: already / 60,
      },
    );
  }
}
