import type { PageArgs } from '../../../lib/pagination.ts';
import { load, type TimeContext } from '../context.ts';
import { pageEntries, type TimeEntryOrder } from '../data/entries.ts';
import type { TimeEntryFilter } from '../data/filters.ts';
import { pageTimesheets, type TimesheetFilter } from '../data/timesheets.ts';

export const QueryResolvers = {
  timeEntries: (_: unknown, args: PageArgs & { filter?: TimeEntryFilter; orderBy?: TimeEntryOrder }, ctx: TimeContext) =>
    pageEntries(ctx.db, args),
  timeEntry: (_: unknown, args: { id: string }, ctx: TimeContext) => load.entry(ctx).load(args.id),
  timesheets: (_: unknown, args: PageArgs & { filter?: TimesheetFilter }, ctx: TimeContext) => pageTimesheets(ctx.db, args),
  timesheet: (_: unknown, args: { id: string }, ctx: TimeContext) => load.timesheet(ctx).load(args.id),
};
