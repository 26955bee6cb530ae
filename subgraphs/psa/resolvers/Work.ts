import { minutesToHours } from '../../../lib/hours.ts';
import { load, type PsaContext } from '../context.ts';
import type { Assignment, Task } from '../data/tables.ts';

export const TaskResolvers = {
  project: (t: Task, _: unknown, ctx: PsaContext) => load.project(ctx).load(t.project_id),
};

export const AssignmentResolvers = {
  project: (a: Assignment, _: unknown, ctx: PsaContext) => load.project(ctx).load(a.project_id),
  resource: (a: Assignment, _: unknown, ctx: PsaContext) => load.resource(ctx).load(a.resource_id),
  startDate: (a: Assignment) => a.start_date,
  endDate: (a: Assignment) => a.end_date,
  plannedHours: (a: Assignment) => minutesToHours(a.planned_minutes),
};
