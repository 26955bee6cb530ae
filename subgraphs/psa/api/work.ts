import { inTransaction } from '../../../lib/db.ts';
import { appError, badInput, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireDate, requireText } from '../../../lib/validate.ts';
import type { Db, Trx } from '../data/db.ts';
import type { Assignment, Project, Task } from '../data/tables.ts';
import { lockProject } from './locks.ts';
import { plannedMinutes, requireDateOrder } from './validate.ts';

export type AddTaskInput = { projectId: string; name: string; billable?: boolean | null };
export type AssignResourceInput = {
  projectId: string;
  resourceId: string;
  role?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  plannedHours?: number | null;
};

async function openProject(trx: Trx, id: string): Promise<Project> {
  const project = await lockProject(trx, id, 'share');
  if (project.status === 'CLOSED')
    throw appError('INVALID_STATE_TRANSITION', `Project ${id} is CLOSED and can no longer change`, { from: 'CLOSED' });
  return project;
}

/** Adds a task; billable by default when the project is, and never billable on a non-billable project. */
export function addTask(db: Db, input: AddTaskInput): Promise<Task> {
  return inTransaction(db, async (trx) => {
    const project = await openProject(trx, input.projectId);
    const billable = input.billable ?? project.billable;
    if (billable && !project.billable) throw badInput(`Project ${project.id} is not billable, so its tasks cannot be`, 'billable');
    return trx
      .insertInto('psa.tasks')
      .values({ id: newId('tsk'), project_id: project.id, name: requireText(input.name, 'name'), billable })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/**
 * Staffs an active resource on an open project, within the project's dates. The same project,
 * resource and role again replaces that assignment's dates and planned hours (idempotent upsert).
 */
export function assignResource(db: Db, input: AssignResourceInput): Promise<Assignment> {
  return inTransaction(db, async (trx) => {
    const project = await openProject(trx, input.projectId);
    const resource = await trx.selectFrom('psa.resources').selectAll().where('id', '=', input.resourceId).executeTakeFirst();
    if (!resource) throw notFound('Resource', input.resourceId);
    if (!resource.active)
      throw appError('INVALID_STATE_TRANSITION', `Resource ${resource.id} is inactive and cannot be assigned`, { field: 'resourceId' });
    const startDate = input.startDate != null ? requireDate(input.startDate, 'startDate') : project.start_date;
    const endDate = input.endDate != null ? requireDate(input.endDate, 'endDate') : project.end_date;
    requireDateOrder(startDate, endDate);
    if (startDate < project.start_date)
      throw badInput(`startDate ${startDate} is before the project starts (${project.start_date})`, 'startDate');
    if (project.end_date && endDate && endDate > project.end_date)
      throw badInput(`endDate ${endDate} is after the project ends (${project.end_date})`, 'endDate');
    const values = {
      role: input.role != null ? requireText(input.role, 'role') : resource.role,
      start_date: startDate,
      end_date: endDate,
      planned_minutes: plannedMinutes(input.plannedHours ?? 0, 'plannedHours'),
    };
    return trx
      .insertInto('psa.assignments')
      .values({ id: newId('asg'), project_id: project.id, resource_id: resource.id, ...values })
      .onConflict((oc) =>
        oc
          .columns(['project_id', 'resource_id', 'role'])
          .doUpdateSet({ start_date: values.start_date, end_date: values.end_date, planned_minutes: values.planned_minutes }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
