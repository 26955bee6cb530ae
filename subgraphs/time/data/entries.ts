import { sql, type Kysely, type Transaction } from 'kysely';
import { appError } from '../../../lib/errors.ts';
import { connectionFromRows, decodeCursor, encodeCursor, keysetPage, pageSize, type Connection, type PageArgs, type SortDirection } from '../../../lib/pagination.ts';
import { isIsoDate } from '../../../lib/scalars.ts';
import { entryFilter, type TimeEntryFilter } from './filters.ts';
import type { TimeDatabase, TimeEntry } from './tables.ts';

type Db = Kysely<TimeDatabase> | Transaction<TimeDatabase>;

export type TimeEntryOrder = { field: 'WORK_DATE'; direction: SortDirection };

export function findEntriesByIds(db: Db, ids: readonly string[]): Promise<TimeEntry[]> {
  return db.selectFrom('time.time_entries').selectAll().where('id', 'in', [...ids]).execute();
}

export function findEntriesOfTimesheets(db: Db, timesheetIds: readonly string[]): Promise<TimeEntry[]> {
  return db.selectFrom('time.time_entries').selectAll().where('timesheet_id', 'in', [...timesheetIds]).orderBy('work_date').orderBy('id').execute();
}

/** Decodes an `after` cursor whose sort value must be a work date; anything else is INVALID_CURSOR, never SQL. */
function decodeDateCursor(list: string, sort: string, after: string): [string, string] {
  const [date, id] = decodeCursor(list, sort, after);
  if (!isIsoDate(date)) throw appError('INVALID_CURSOR', 'The cursor is malformed', { field: 'after' });
  return [date, id];
}

export function pageEntries(db: Db, args: PageArgs & { filter?: TimeEntryFilter | null; orderBy?: TimeEntryOrder | null }): Promise<Connection<TimeEntry>> {
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

type NestedRow = TimeEntry & { total_count: number; after_cursor: boolean; rn: number; rn_all: number };

/**
 * One page of time entries for each of many parents in ONE statement. Window functions number the
 * rows per parent (only those after the cursor) and count all matching rows per parent; the first row
 * of every parent comes back even when it lies before the cursor, so totalCount survives a page past
 * the end. Results are in `parentIds` order.
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
  const afterCursor = cursor ? sql<boolean>`(e.work_date, e.id) > (${cursor[0]}::date, ${cursor[1]})` : sql<boolean>`true`;
  const parentRef = sql.ref(`e.${parent}`);
  const filter = { ...args.filter, [parent === 'project_id' ? 'projectId' : 'resourceId']: null };
  const rows = (await db
    .selectFrom((eb) =>
      eb
        .selectFrom('time.time_entries as e')
        .selectAll('e')
        .select([
          sql<number>`count(*) over (partition by ${parentRef})`.as('total_count'),
          afterCursor.as('after_cursor'),
          sql<number>`row_number() over (partition by ${parentRef}, ${afterCursor} order by e.work_date, e.id)`.as('rn'),
          sql<number>`row_number() over (partition by ${parentRef} order by e.work_date, e.id)`.as('rn_all'),
        ])
        .where(sql.ref(`e.${parent}`), 'in', [...parentIds])
        .where(entryFilter(filter))
        .as('t'),
    )
    .selectAll('t')
    .where((eb) => eb.or([eb.and([eb('t.after_cursor', '=', true), eb('t.rn', '<=', first + 1)]), eb('t.rn_all', '=', 1)]))
    .orderBy(sql.ref(`t.${parent}`))
    .orderBy('t.work_date')
    .orderBy('t.id')
    .execute()) as NestedRow[];
  const byParent = new Map<string, NestedRow[]>();
  for (const r of rows) {
    const key = r[parent];
    const group = byParent.get(key);
    if (group) group.push(r);
    else byParent.set(key, [r]);
  }
  return parentIds.map((id) => {
    const group = byParent.get(id) ?? [];
    const total = group[0]?.total_count ?? 0;
    const page = group.filter((r) => r.after_cursor).map(stripWindow);
    return connectionFromRows(page, first, total, (r) => encodeCursor(list, NESTED_SORT, r.work_date, r.id));
  });
}

function stripWindow(r: NestedRow): TimeEntry {
  const { total_count: _t, after_cursor: _a, rn: _r, rn_all: _ra, ...entry } = r;
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
