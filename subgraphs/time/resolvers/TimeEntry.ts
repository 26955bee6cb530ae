import { minutesToHours } from '../../../lib/hours.ts';
import { load, type TimeContext } from '../context.ts';
import type { TimeEntry } from '../data/tables.ts';

export const TimeEntryResolvers = {
  __resolveReference: (ref: { id: string }, ctx: TimeContext) => load.entry(ctx).load(ref.id),
  project: (e: TimeEntry) => ({ id: e.project_id }),
  resource: (e: TimeEntry) => ({ id: e.resource_id }),
  customer: (e: TimeEntry) => ({ id: e.customer_id }),
  timesheet: (e: TimeEntry, _: unknown, ctx: TimeContext) => load.timesheet(ctx).load(e.timesheet_id),
  taskId: (e: TimeEntry) => e.task_id,
  date: (e: TimeEntry) => e.work_date,
  hours: (e: TimeEntry) => minutesToHours(e.minutes),
  billingStatus: (e: TimeEntry) => e.billing_status,
  externalRef: (e: TimeEntry) => e.external_ref,
  createdAt: (e: TimeEntry) => e.created_at,
  updatedAt: (e: TimeEntry) => e.updated_at,
};
