import type { Kysely, Transaction } from 'kysely';
import { anyOf, inTransaction } from '../../../lib/db.ts';
import { appError, notFound } from '../../../lib/errors.ts';
import { requireText } from '../../../lib/validate.ts';
import type { ApprovalStatus, TimeDatabase, TimeEntry, Timesheet } from '../data/tables.ts';
import { lockTimesheet, OPEN_STATUSES, type Trx } from './rules.ts';

type Db = Kysely<TimeDatabase>;

/** Runs inside the approval's transaction: a job enqueued here commits or rolls back with the approval. */
export type AfterApproval = (trx: Transaction<TimeDatabase>, timesheet: Timesheet, entries: TimeEntry[]) => Promise<void>;

async function lockForTransition(trx: Trx, id: string, allowedFrom: ReadonlySet<ApprovalStatus>, to: ApprovalStatus): Promise<Timesheet> {
  const sheet = await lockTimesheet(trx, id);
  if (!sheet) throw notFound('Timesheet', id);
  if (!allowedFrom.has(sheet.status)) {
    throw appError(
      'INVALID_STATE_TRANSITION',
      `Timesheet ${id} is ${sheet.status}; only ${[...allowedFrom].join(' or ')} can become ${to}`,
      { from: sheet.status, to },
    );
  }
  return sheet;
}

/** Entries always carry their timesheet's status; both change in the same transaction. */
function setEntryStatuses(trx: Trx, timesheetId: string, status: ApprovalStatus, at: Date): Promise<TimeEntry[]> {
  return trx
    .updateTable('time.time_entries')
    .set({ status, updated_at: at })
    .where('timesheet_id', '=', timesheetId)
    .returningAll()
    .execute()
    .then((rows) => rows.sort((a, b) => (a.work_date === b.work_date ? (a.id < b.id ? -1 : 1) : a.work_date < b.work_date ? -1 : 1)));
}

const SUBMITTED_ONLY: ReadonlySet<ApprovalStatus> = new Set(['SUBMITTED']);

/** DRAFT or REJECTED -> SUBMITTED; a timesheet needs at least one entry. Clears the previous decision. */
export function submitTimesheet(db: Db, id: string, at: Date): Promise<Timesheet> {
  return inTransaction(db, async (trx) => {
    const current = await lockForTransition(trx, id, OPEN_STATUSES, 'SUBMITTED');
    const entries = await setEntryStatuses(trx, id, 'SUBMITTED', at);
    if (entries.length === 0) {
      throw appError('INVALID_STATE_TRANSITION', `Timesheet ${id} has no time entries; an empty timesheet cannot be submitted`, {
        from: current.status,
        to: 'SUBMITTED',
      });
    }
    return trx
      .updateTable('time.timesheets')
      .set({ status: 'SUBMITTED', submitted_at: at, decided_at: null, decided_by: null, rejection_reason: null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/**
 * SUBMITTED -> APPROVED, with every entry. `afterWrite` runs in the same transaction with the
 * approved timesheet and entries, so the sync job that bills them is enqueued atomically.
 */
export function approveTimesheet(db: Db, id: string, approver: string, at: Date, afterWrite?: AfterApproval): Promise<Timesheet> {
  return inTransaction(db, async (trx) => {
    const decidedBy = requireText(approver, 'approver');
    await lockForTransition(trx, id, SUBMITTED_ONLY, 'APPROVED');
    const entries = await setEntryStatuses(trx, id, 'APPROVED', at);
    const sheet = await trx
      .updateTable('time.timesheets')
      .set({ status: 'APPROVED', decided_at: at, decided_by: decidedBy, rejection_reason: null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (afterWrite) await afterWrite(trx, sheet, entries);
    return sheet;
  });
}

/** The most timesheets one bulk approval takes: enough for a team's month, small enough for one transaction. */
export const MAX_BULK_APPROVAL = 500;

/** Runs inside a bulk approval's transaction with every approved timesheet. */
export type AfterBulkApproval = (trx: Transaction<TimeDatabase>, timesheets: Timesheet[]) => Promise<void>;

/**
 * Approves many SUBMITTED timesheets at once (a manager's "approve all"), all or nothing: one
 * timesheet that is missing or not SUBMITTED fails the call with its id and nothing is approved.
 * Works in a fixed number of statements, so approving 500 costs about what approving one does.
 * Results follow the order of `ids`; a repeated id is approved once.
 */
export function approveTimesheets(
  db: Db,
  ids: readonly string[],
  approver: string,
  at: Date,
  afterWrite?: AfterBulkApproval,
): Promise<Timesheet[]> {
  return inTransaction(db, async (trx) => {
    const decidedBy = requireText(approver, 'approver');
    const unique = [...new Set(ids)];
    if (unique.length === 0) throw appError('BAD_USER_INPUT', 'Name at least one timesheet to approve', { field: 'ids' });
    if (unique.length > MAX_BULK_APPROVAL)
      throw appError('BAD_USER_INPUT', `At most ${MAX_BULK_APPROVAL} timesheets per approval; split the list`, {
        field: 'ids',
        max: MAX_BULK_APPROVAL,
      });
    // Locked in id order, so concurrent bulk approvals of overlapping lists cannot deadlock.
    const locked = new Map(
      (await trx.selectFrom('time.timesheets').selectAll().where('id', '=', anyOf(unique)).orderBy('id').forUpdate().execute()).map((s) => [
        s.id,
        s,
      ]),
    );
    for (const id of unique) {
      const sheet = locked.get(id);
      if (!sheet) throw notFound('Timesheet', id);
      if (sheet.status !== 'SUBMITTED')
        throw appError('INVALID_STATE_TRANSITION', `Timesheet ${id} is ${sheet.status}; only SUBMITTED can become APPROVED`, {
          id,
          from: sheet.status,
          to: 'APPROVED',
        });
    }
    await trx
      .updateTable('time.time_entries')
      .set({ status: 'APPROVED', updated_at: at })
      .where('timesheet_id', '=', anyOf(unique))
      .execute();
    const approved = new Map(
      (
        await trx
          .updateTable('time.timesheets')
          .set({ status: 'APPROVED', decided_at: at, decided_by: decidedBy, rejection_reason: null })
          .where('id', '=', anyOf(unique))
          .returningAll()
          .execute()
      ).map((s) => [s.id, s]),
    );
    const sheets = unique.map((id) => approved.get(id)!);
    if (afterWrite) await afterWrite(trx, sheets);
    return sheets;
  });
}

/** SUBMITTED -> REJECTED with a reason; the resource corrects the entries and submits again. */
export function rejectTimesheet(db: Db, id: string, approver: string, reason: string, at: Date): Promise<Timesheet> {
  return inTransaction(db, async (trx) => {
    const decidedBy = requireText(approver, 'approver');
    const why = requireText(reason, 'reason');
    await lockForTransition(trx, id, SUBMITTED_ONLY, 'REJECTED');
    await setEntryStatuses(trx, id, 'REJECTED', at);
    return trx
      .updateTable('time.timesheets')
      .set({ status: 'REJECTED', decided_at: at, decided_by: decidedBy, rejection_reason: why })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
