import { minutesToHours } from '../../../lib/hours.ts';
import { load, type TimeContext } from '../context.ts';
import type { Timesheet } from '../data/tables.ts';

export const TimesheetResolvers = {
  __resolveReference: (ref: { id: string }, ctx: TimeContext) => load.timesheet(ctx).load(ref.id),
  resource: (t: Timesheet) => ({ id: t.resource_id }),
  weekStart: (t: Timesheet) => t.week_start,
  submittedAt: (t: Timesheet) => t.submitted_at,
  decidedAt: (t: Timesheet) => t.decided_at,
  decidedBy: (t: Timesheet) => t.decided_by,
  rejectionReason: (t: Timesheet) => t.rejection_reason,
  entries: (t: Timesheet, _: unknown, ctx: TimeContext) => load.entriesOfTimesheet(ctx).load(t.id),
  totalHours: async (t: Timesheet, _: unknown, ctx: TimeContext) => minutesToHours(await load.timesheetMinutes(ctx).load(t.id)),
  createdAt: (t: Timesheet) => t.created_at,
};
