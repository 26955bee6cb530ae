import * as api from '../api/index.ts';
import type * as gql from './types.generated.ts';

export const MutationResolvers: gql.MutationResolvers = {
  upsertTimeResource: (_, args, ctx) => api.upsertTimeResource(ctx.db, args.input),
  upsertTimeProject: (_, args, ctx) => api.upsertTimeProject(ctx.db, args.input),
  createTimeEntry: (_, args, ctx) => api.createTimeEntry(ctx.db, args.input),
  updateTimeEntry: (_, args, ctx) => api.updateTimeEntry(ctx.db, args.id, args.input),
  deleteTimeEntry: (_, args, ctx) => api.deleteTimeEntry(ctx.db, args.id),
  submitTimesheet: (_, args, ctx) => api.submitTimesheet(ctx.db, args.id, ctx.clock.now()),
  approveTimesheet: (_, args, ctx) =>
    api.approveTimesheet(ctx.db, args.id, args.approver, ctx.clock.now(), (trx, sheet) =>
      ctx.triggers.fire(trx, { type: 'TIMESHEET_APPROVED', timesheetId: sheet.id, resourceId: sheet.resource_id }, args.approver),
    ),
  approveTimesheets: (_, args, ctx) =>
    api.approveTimesheets(ctx.db, args.ids, args.approver, ctx.clock.now(), (trx, sheets) =>
      ctx.triggers.fireMany(
        trx,
        sheets.map((s) => ({ type: 'TIMESHEET_APPROVED' as const, timesheetId: s.id, resourceId: s.resource_id })),
        args.approver,
      ),
    ),
  rejectTimesheet: (_, args, ctx) => api.rejectTimesheet(ctx.db, args.id, args.approver, args.reason, ctx.clock.now()),
};
