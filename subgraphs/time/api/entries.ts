import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, notFound } from '../../../lib/errors.ts';
import { hoursToMinutes } from '../../../lib/hours.ts';
import { newId } from '../../../lib/ids.ts';
import { requireDate, requireText } from '../../../lib/validate.ts';
import { findProject, findResource } from '../data/lists.ts';
import type { TimeDatabase, TimeEntry } from '../data/tables.ts';
import {
  assertDailyTotal,
  assertNotBilled,
  assertTimesheetOpen,
  assertWithinProjectDates,
  lockEntryWithTimesheet,
  lockTimesheetForWeek,
  requireActiveProject,
  type Trx,
} from './rules.ts';

type Db = Kysely<TimeDatabase>;

export type CreateTimeEntryInput = {
  resourceId: string;
  projectId: string;
  taskId?: string | null;
  date: string;
  hours: number;
  billable?: boolean | null;
  notes?: string | null;
  externalRef?: string | null;
};

/** An import sent again carries the same facts; anything else under the same externalRef is a clash. */
function isSameEntry(e: TimeEntry, input: CreateTimeEntryInput, minutes: number): boolean {
  return (
    e.resource_id === input.resourceId &&
    e.project_id === input.projectId &&
    e.work_date === input.date &&
    e.minutes === minutes &&
    e.task_id === (input.taskId ?? null) &&
    e.notes === (input.notes ?? null) &&
    (input.billable == null || e.billable === input.billable)
  );
}

async function requireActiveResource(trx: Trx, resourceId: string): Promise<void> {
  const resource = await findResource(trx, resourceId);
  if (!resource) throw notFound('Resource', resourceId);
  if (!resource.active)
    throw appError('INVALID_STATE_TRANSITION', `Resource ${resourceId} is inactive and cannot record time`, { field: 'resourceId' });
}

/**
 * Records hours on the resource's timesheet for the ISO week of the date, opening that timesheet
 * if needed. With an `externalRef` already known, returns the existing entry unchanged when it is
 * the same entry (idempotent import), else fails with DUPLICATE.
 */
export function createTimeEntry(db: Db, input: CreateTimeEntryInput): Promise<TimeEntry> {
  return inTransaction(db, async (trx) => {
    const date = requireDate(input.date, 'date');
    const minutes = hoursToMinutes(input.hours, 'hours');
    const externalRef = input.externalRef == null ? null : requireText(input.externalRef, 'externalRef');
    if (externalRef) {
      const existing = await trx.selectFrom('time.time_entries').selectAll().where('external_ref', '=', externalRef).executeTakeFirst();
      if (existing) {
        if (isSameEntry(existing, input, minutes)) return existing;
        throw appError('DUPLICATE', `Time entry ${existing.id} already has externalRef ${externalRef} with different data`, {
          field: 'externalRef',
          existingId: existing.id,
        });
      }
    }
    await requireActiveResource(trx, input.resourceId);
    const project = await requireActiveProject(trx, input.projectId);
    assertWithinProjectDates(project, date);
    const sheet = await lockTimesheetForWeek(trx, input.resourceId, date);
    assertTimesheetOpen(sheet);
    await assertDailyTotal(trx, input.resourceId, date, minutes);
    return trx
      .insertInto('time.time_entries')
      .values({
        id: newId('tme'),
        timesheet_id: sheet.id,
        resource_id: input.resourceId,
        project_id: project.id,
        customer_id: project.customer_id,
        task_id: input.taskId ?? null,
        work_date: date,
        minutes,
        billable: input.billable ?? project.billable,
        notes: input.notes ?? null,
        status: sheet.status,
        external_ref: externalRef,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export type UpdateTimeEntryInput = {
  projectId?: string | null;
  taskId?: string | null;
  date?: string | null;
  hours?: number | null;
  billable?: boolean | null;
  notes?: string | null;
};

/**
 * Changes an entry while its timesheet is DRAFT or REJECTED. A date in another week moves the entry
 * to that week's timesheet, which must be open too. A changed project must be ACTIVE; an unchanged
 * one is not re-checked, so a project closed meanwhile does not freeze corrections to its drafts.
 */
export function updateTimeEntry(db: Db, id: string, input: UpdateTimeEntryInput): Promise<TimeEntry> {
  return inTransaction(db, async (trx) => {
    const minutes = input.hours != null ? hoursToMinutes(input.hours, 'hours') : undefined;
    const date = input.date != null ? requireDate(input.date, 'date') : undefined;
    const { entry, sheet } = await lockEntryWithTimesheet(trx, id);
    assertNotBilled(entry);
    assertTimesheetOpen(sheet);
    const project =
      input.projectId != null && input.projectId !== entry.project_id ? await requireActiveProject(trx, input.projectId) : undefined;
    const workDate = date ?? entry.work_date;
    if (project || date) assertWithinProjectDates(project ?? (await findProject(trx, entry.project_id))!, workDate);
    let target = sheet;
    if (workDate !== entry.work_date) {
      target = await lockTimesheetForWeek(trx, entry.resource_id, workDate);
      assertTimesheetOpen(target);
    }
    await assertDailyTotal(trx, entry.resource_id, workDate, minutes ?? entry.minutes, entry.id);
    return trx
      .updateTable('time.time_entries')
      .set({
        ...(project ? { project_id: project.id, customer_id: project.customer_id } : {}),
        ...(input.taskId !== undefined ? { task_id: input.taskId } : {}),
        ...(minutes !== undefined ? { minutes } : {}),
        ...(input.billable != null ? { billable: input.billable } : {}),
        ...(input.notes !== undefined ? { notes: input.notes } : {}),
        work_date: workDate,
        timesheet_id: target.id,
        status: target.status,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** Removes an entry while its timesheet is DRAFT or REJECTED; returns the id removed. */
export function deleteTimeEntry(db: Db, id: string): Promise<string> {
  return inTransaction(db, async (trx) => {
    const { entry, sheet } = await lockEntryWithTimesheet(trx, id);
    assertNotBilled(entry);
    assertTimesheetOpen(sheet);
    await trx.deleteFrom('time.time_entries').where('id', '=', id).execute();
    return id;
  });
}
