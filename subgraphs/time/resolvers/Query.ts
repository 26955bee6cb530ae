import { load } from '../context.ts';
import { pageEntries } from '../data/entries.ts';
import { pageTimesheets } from '../data/timesheets.ts';
import type * as gql from './types.generated.ts';

export const QueryResolvers: gql.QueryResolvers = {
  timeEntries: (_, args, ctx) => pageEntries(ctx.db, args),
  timeEntry: (_, args, ctx) => load.entry(ctx).load(args.id),
  timesheets: (_, args, ctx) => pageTimesheets(ctx.db, args),
  timesheet: (_, args, ctx) => load.timesheet(ctx).load(args.id),
};
