import { minutesToHours } from '../../../lib/hours.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const TimesheetResolvers: gql.TimesheetResolvers = {
  __resolveReference: (ref, ctx) => load.timesheet(ctx).load(ref.id),
  resource: (t) => ({ id: t.resource_id }),
  weekStart: (t) => t.week_start,
  submittedAt: (t) => t.submitted_at,
  decidedAt: (t) => t.decided_at,
  decidedBy: (t) => t.decided_by,
  rejectionReason: (t) => t.rejection_reason,
  entries: (t, _, ctx) => load.entriesOfTimesheet(ctx).load(t.id),
  totalHours: async (t, _, ctx) => minutesToHours(await load.timesheetMinutes(ctx).load(t.id)),
  createdAt: (t) => t.created_at,
};
