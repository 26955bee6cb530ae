import type { Kysely } from 'kysely';
import { byKey, groupByKey } from '../../lib/loaders.ts';
import type { Connection, PageArgs } from '../../lib/pagination.ts';
import { type BaseContext, baseContext, type RequestInfo, type SubgraphOptions } from '../../lib/subgraph.ts';
import { type EntryParent, findEntriesByIds, findEntriesOfTimesheets, pageEntriesOfParents } from './data/entries.ts';
import type { TimeEntryFilter } from './data/filters.ts';
import { type HoursParent, type MinutesSummary, minutesByParent, minutesByTimesheet } from './data/hours.ts';
import { findProjectsByIds } from './data/lists.ts';
import type { TimeDatabase, TimeEntry } from './data/tables.ts';
import { findTimesheetsByIds } from './data/timesheets.ts';

export type TimeContext = BaseContext<TimeDatabase>;

export function createContext(db: Kysely<TimeDatabase>, req: RequestInfo, options?: SubgraphOptions): TimeContext {
  return baseContext(db, req, options);
}

export type NestedEntryArgs = PageArgs & { filter?: TimeEntryFilter | null };

/** Loaders whose batch depends on field arguments are named after them: equal arguments share a batch. */
const argKey = (args: object) => JSON.stringify(args);

/** Per-request batch loaders: one SQL statement per field per request, whatever the number of parents. */
export const load = {
  entry: (ctx: TimeContext) => ctx.loaders.get('entry', async (ids) => byKey(ids, await findEntriesByIds(ctx.db, ids), (r) => r.id)),
  /** The time system's own record of a project (its customer), for the portal row rules. */
  project: (ctx: TimeContext) => ctx.loaders.get('project', async (ids) => byKey(ids, await findProjectsByIds(ctx.db, ids), (r) => r.id)),
  timesheet: (ctx: TimeContext) =>
    ctx.loaders.get('timesheet', async (ids) => byKey(ids, await findTimesheetsByIds(ctx.db, ids), (r) => r.id)),
  entriesOfTimesheet: (ctx: TimeContext) =>
    ctx.loaders.get('entriesOfTimesheet', async (ids) =>
      groupByKey(ids, await findEntriesOfTimesheets(ctx.db, ids), (r) => r.timesheet_id),
    ),
  timesheetMinutes: (ctx: TimeContext) =>
    ctx.loaders.get('timesheetMinutes', async (ids) =>
      byKey(ids, await minutesByTimesheet(ctx.db, ids), (r) => r.timesheet_id).map((r) => r?.minutes ?? 0),
    ),
  entryPage: (ctx: TimeContext, parent: EntryParent, args: NestedEntryArgs) =>
    ctx.loaders.get<Connection<TimeEntry>>(
      `entryPage:${parent}:${argKey({ first: args.first, after: args.after, filter: args.filter })}`,
      (ids) => pageEntriesOfParents(ctx.db, parent, ids, args),
    ),
  minutes: (ctx: TimeContext, parent: HoursParent, range: { from?: string | null; to?: string | null } = {}) =>
    ctx.loaders.get<MinutesSummary | undefined>(`minutes:${parent}:${argKey({ from: range.from, to: range.to })}`, async (ids) =>
      byKey(ids, await minutesByParent(ctx.db, parent, ids, range), (r) => r.key),
    ),
};
