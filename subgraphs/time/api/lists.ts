import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, badInput } from '../../../lib/errors.ts';
import { requireDate, requireText } from '../../../lib/validate.ts';
import type { ProjectStatus, TimeDatabase, TimeProject, TimeResource } from '../data/tables.ts';

type Db = Kysely<TimeDatabase>;

export type UpsertTimeResourceInput = { id: string; name: string; active?: boolean | null };
export type UpsertTimeProjectInput = {
  id: string;
  customerId: string;
  name: string;
  status: ProjectStatus;
  billable?: boolean | null;
  /** The project's dates in psa: time outside them is refused (OUTSIDE_PROJECT_DATES). Absent: unchanged. */
  startDate?: string | null;
  endDate?: string | null;
};

const PROJECT_STATUSES: ReadonlySet<string> = new Set<ProjectStatus>(['ACTIVE', 'CLOSED']);

/** Adds or updates a person in the time system's list; sending the same data again changes nothing. */
export function upsertTimeResource(db: Db, input: UpsertTimeResourceInput): Promise<TimeResource> {
  return inTransaction(db, async (trx) => {
    const row = { id: requireText(input.id, 'id'), name: requireText(input.name, 'name'), active: input.active ?? true };
    return trx
      .insertInto('time.resources')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: row.name, active: row.active }))
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/**
 * Adds or updates a project in the time system's list. Entries keep a copy of the project's
 * customer for the per-customer sums, so a project that already has time cannot change customer.
 */
export function upsertTimeProject(db: Db, input: UpsertTimeProjectInput): Promise<TimeProject> {
  return inTransaction(db, async (trx) => {
    if (!PROJECT_STATUSES.has(input.status))
      throw badInput(`status must be ACTIVE or CLOSED, got ${JSON.stringify(input.status)}`, 'status');
    const row = {
      id: requireText(input.id, 'id'),
      customer_id: requireText(input.customerId, 'customerId'),
      name: requireText(input.name, 'name'),
      status: input.status,
      billable: input.billable ?? true,
    };
    const dates = {
      ...(input.startDate !== undefined ? { start_date: input.startDate === null ? null : requireDate(input.startDate, 'startDate') } : {}),
      ...(input.endDate !== undefined ? { end_date: input.endDate === null ? null : requireDate(input.endDate, 'endDate') } : {}),
    };
    if (dates.start_date && dates.end_date && dates.end_date < dates.start_date) throw badInput('endDate is before startDate', 'endDate');
    const current = await trx.selectFrom('time.projects').selectAll().where('id', '=', row.id).forUpdate().executeTakeFirst();
    if (current && current.customer_id !== row.customer_id) {
      const hasTime = await trx.selectFrom('time.time_entries').select('id').where('project_id', '=', row.id).limit(1).executeTakeFirst();
      if (hasTime) {
        throw appError(
          'INVALID_STATE_TRANSITION',
          `Project ${row.id} has time recorded for customer ${current.customer_id} and cannot move to customer ${row.customer_id}`,
          {
            field: 'customerId',
          },
        );
      }
    }
    return trx
      .insertInto('time.projects')
      .values({ ...row, ...dates })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ customer_id: row.customer_id, name: row.name, status: row.status, billable: row.billable, ...dates }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
