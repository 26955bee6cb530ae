import * as api from '../api/index.ts';
import type { TimeContext } from '../context.ts';

export const MutationResolvers = {
  upsertTimeResource: (_: unknown, args: { input: api.UpsertTimeResourceInput }, ctx: TimeContext) =>
    api.upsertTimeResource(ctx.db, args.input),
  upsertTimeProject: (_: unknown, args: { input: api.UpsertTimeProjectInput }, ctx: TimeContext) =>
    api.upsertTimeProject(ctx.db, args.input),
  createTimeEntry: (_: unknown, args: { input: api.CreateTimeEntryInput }, ctx: TimeContext) => api.createTimeEntry(ctx.db, args.input),
  updateTimeEntry: (_: unknown, args: { id: string; input: api.UpdateTimeEntryInput }, ctx: TimeContext) =>
    api.updateTimeEntry(ctx.db, args.id, args.input),
  deleteTimeEntry: (_: unknown, args: { id: string }, ctx: TimeContext) => api.deleteTimeEntry(ctx.db, args.id),
  submitTimesheet: (_: unknown, args: { id: string }, ctx: TimeContext) => api.submitTimesheet(ctx.db, args.id, ctx.clock.now()),
  approveTimesheet: (_: unknown, args: { id: string; approver: string }, ctx: TimeContext) =>
    api.approveTimesheet(ctx.db, args.id, args.approver, ctx.clock.now(), (trx, sheet) =>
      ctx.triggers.fire(trx, { type: 'TIMESHEET_APPROVED', timesheetId: sheet.id, resourceId: sheet.resource_id }, args.approver),
    ),
  approveTimesheets: (_: unknown, args: { ids: string[]; approver: string }, ctx: TimeContext) =>
    api.approveTimesheets(ctx.db, args.ids, args.approver, ctx.clock.now(), (trx, sheets) =>
      ctx.triggers.fireMany(
        trx,
        sheets.map((s) => ({ type: 'TIMESHEET_APPROVED' as const, timesheetId: s.id, resourceId: s.resource_id })),
        args.approver,
      ),
    ),
  rejectTimesheet: (_: unknown, args: { id: string; approver: string; reason: string }, ctx: TimeContext) =>
    api.rejectTimesheet(ctx.db, args.id, args.approver, args.reason, ctx.clock.now()),
};
