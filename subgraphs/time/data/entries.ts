import { type Kysely, sql, type Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { appError } from '../../../lib/errors.ts';
import {
  type Connection,
  connectionFromRows,
  decodeCursor,
  encodeCursor,
  keysetPage,
  type PageArgs,
  pageSize,
  type SortDirection,
} from '../../../lib/pagination.ts';
import { isIsoDate } from '../../../lib/scalars.ts';
import { entryFilter, type TimeEntryFilter } from './filters.ts';
import type { TimeDatabase, TimeEntry } from './tables.ts';

type Db = Kysely<TimeDatabase> | Transaction<TimeDatabase>;

export type TimeEntryOrder = { field: 'WORK_DATE'; direction: SortDirection };

export function findEntriesByIds(db: Db, ids: readonly string[]): Promise<TimeEntry[]> {
  return db.selectFrom('time.time_entries').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function findEntriesOfTimesheets(db: Db, timesheetIds: readonly string[]): Promise<TimeEntry[]> {
  return db
    .selectFrom('time.time_entries')
    .selectAll()
    .where('timesheet_id', '=', anyOf(timesheetIds))
    .orderBy('work_date')
    .orderBy('id')
    .execute();
}

/** Decodes an `after` cursor whose sort value must be a work date; anything else is INVALID_CURSOR, never SQL. */
function decodeDateCursor(list: string, sort: string, after: string): [string, string] {
  const [date, id] = decodeCursor(list, sort, after);
  if (!isIsoDate(date)) throw appError('INVALID_CURSOR', 'The cursor is malformed', { field: 'after' });
  return [date, id];
}

export function pageEntries(
  db: Db,
  args: PageArgs & { filter?: TimeEntryFilter | null; orderBy?: TimeEntryOrder | null },
): Promise<Connection<TimeEntry>> {
  const direction = args.orderBy?.direction ?? 'ASC';
  const sortColumn = 'e.work_date';
  if (args.after) decodeDateCursor('timeEntries', `${sortColumn}:${direction.toLowerCase()}`, args.after);
  const q = db.selectFrom('time.time_entries as e').selectAll('e').where(entryFilter(args.filter));
  return keysetPage(q, { list: 'timeEntries', args, sortColumn, direction, idColumn: 'e.id', id: (r) => r.id });
}

/** The parents a nested time-entry list can hang off. */
export type EntryParent = 'project_id' | 'resource_id';

const NESTED_SORT = 'work_date,id:asc';
const nestedList = (parent: EntryParent) => (parent === 'project_id' ? 'Project.timeEntries' : 'Resource.timeEntries');

type NestedRow = TimeEntry & { parent_id: string; total_count: number };

/**
 * One page of time entries for each of many parents in ONE statement: per parent (a lateral join
 * over the parent ids), a count of its matching entries and its first rows after the cursor, read in
 * order from the (parent, work_date, id) index with a LIMIT. Results are in `parentIds` order.
 *
 * Why not window functions over all the parents' rows (the earlier shape): they fetch, sort and
 * number every entry of every parent to keep 51 of them; for the drill-down's busiest project that
 * was 1,154 full rows sorted per request, the costliest statement of the read.
 */
export async function pageEntriesOfParents(
  db: Db,
  parent: EntryParent,
  parentIds: readonly string[],
  args: PageArgs & { filter?: TimeEntryFilter | null },
): Promise<Connection<TimeEntry>[]> {
  const first = pageSize(args.first);
  const list = nestedList(parent);
  const cursor = args.after ? decodeDateCursor(list, NESTED_SORT, args.after) : undefined;
  const filter = entryFilter({ ...args.filter, [parent === 'project_id' ? 'projectId' : 'resourceId']: null });
  const ofParent = sql.ref(`e.${parent}`);
  const rows = (await db
    .selectFrom(sql<{ parent_id: string }>`(select unnest(${[...new Set(parentIds)]}::text[]) as parent_id)`.as('p'))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('time.time_entries as e')
          .select(sql<number>`count(*)::int`.as('total_count'))
          .where(ofParent, '=', sql.ref('p.parent_id'))
          .where(filter)
          .as('c'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) => {
        let page = eb.selectFrom('time.time_entries as e').selectAll('e').where(ofParent, '=', sql.ref('p.parent_id')).where(filter);
        if (cursor) page = page.where(sql<boolean>`(e.work_date, e.id) > (${cursor[0]}::date, ${cursor[1]})`);
        return page
          .orderBy('e.work_date')
          .orderBy('e.id')
          .limit(first + 1)
          .as('t');
      },
      (join) => join.onTrue(),
    )
    .selectAll('t')
    .select(['p.parent_id', 'c.total_count'])
    .orderBy('p.parent_id')
    .orderBy('t.work_date')
    .orderBy('t.id')
    .execute()) as NestedRow[];
  const byParent = new Map<string, { total: number; page: TimeEntry[] }>();
  for (const r of rows) {
    let group = byParent.get(r.parent_id);
    if (!group) {
      group = { total: r.total_count, page: [] };
      byParent.set(r.parent_id, group);
    }
    // A parent with nothing after the cursor still comes back once, for its count, with no entry.
    if (r.id !== null) group.page.push(stripParent(r));
  }
  return parentIds.map((id) => {
    const group = byParent.get(id);
    return connectionFromRows(group?.page ?? [], first, group?.total ?? 0, (r) => encodeCursor(list, NESTED_SORT, r.work_date, r.id));
  });
}

function stripParent(r: NestedRow): TimeEntry {
  const { parent_id: _p, total_count: _t, ...entry } = r;
  return entry;
}

/** Minutes a resource already has on a day, leaving out one entry (the one being changed). */
export async function minutesOnDay(db: Db, resourceId: string, date: string, exceptEntryId?: string): Promise<number> {
  let q = db
    .selectFrom('time.time_entries')
    .select(sql<number>`coalesce(sum(minutes), 0)::int`.as('n'))
    .where('resource_id', '=', resourceId)
    .where('work_date', '=', date);
  if (exceptEntryId) q = q.where('id', '<>', exceptEntryId);
  return (await q.executeTakeFirstOrThrow()).n;
}
