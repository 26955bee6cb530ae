import type { Kysely, Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { appError } from '../../../lib/errors.ts';
import { type Connection, decodeCursor, keysetPage, type PageArgs } from '../../../lib/pagination.ts';
import { isIsoDate } from '../../../lib/scalars.ts';
import type { ApprovalStatus, TimeDatabase, Timesheet } from './tables.ts';

type Db = Kysely<TimeDatabase> | Transaction<TimeDatabase>;

export type TimesheetFilter = {
  resourceId?: string | null;
  status?: ApprovalStatus | null;
  weekFrom?: string | null;
  weekTo?: string | null;
};

export function findTimesheetsByIds(db: Db, ids: readonly string[]): Promise<Timesheet[]> {
  return db.selectFrom('time.timesheets').selectAll().where('id', '=', anyOf(ids)).execute();
}

/** Newest week first: the week people act on is the latest one. */
export function pageTimesheets(db: Db, args: PageArgs & { filter?: TimesheetFilter | null }): Promise<Connection<Timesheet>> {
  const sortColumn = 't.week_start';
  if (args.after && !isIsoDate(decodeCursor('timesheets', `${sortColumn}:desc`, args.after)[0])) {
    throw appError('INVALID_CURSOR', 'The cursor is malformed', { field: 'after' });
  }
  const f = args.filter ?? {};
  let q = db.selectFrom('time.timesheets as t').selectAll('t');
  if (f.resourceId) q = q.where('t.resource_id', '=', f.resourceId);
  if (f.status) q = q.where('t.status', '=', f.status);
  if (f.weekFrom) q = q.where('t.week_start', '>=', f.weekFrom);
  if (f.weekTo) q = q.where('t.week_start', '<=', f.weekTo);
  return keysetPage(q, { list: 'timesheets', args, sortColumn, direction: 'DESC', idColumn: 't.id', id: (r) => r.id });
}
