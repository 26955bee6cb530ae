import { type Kysely, sql, type Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { keysetPage, type PageArgs, type SortDirection } from '../../../lib/pagination.ts';
import type { Job, SyncDatabase, SyncJobKind, SyncJobStatus } from './tables.ts';

type Db = Kysely<SyncDatabase> | Transaction<SyncDatabase>;

export type SyncJobFilter = {
  kinds?: SyncJobKind[] | null;
  statuses?: SyncJobStatus[] | null;
  customerId?: string | null;
  projectId?: string | null;
  invoiceId?: string | null;
  sourceId?: string | null;
  createdFrom?: Date | null;
  createdTo?: Date | null;
};
export type SyncJobOrder = { field: 'CREATED_AT' | 'UPDATED_AT'; direction: SortDirection };

/** The job columns another system's entity can point at; each is a `syncJobs` field on that entity. */
export type ParentColumn = 'customer_id' | 'project_id' | 'invoice_id';

export function findJobsByIds(db: Db, ids: readonly string[]): Promise<Job[]> {
  return db.selectFrom('sync.jobs').selectAll().where('id', '=', anyOf(ids)).execute();
}

/**
 * The newest `first` jobs of each parent (customer, project or invoice), newest first, in ONE
 * statement whatever the number of parents: a window numbers each parent's jobs and keeps the top.
 */
export async function findJobsOfParents(
  db: Db,
  column: ParentColumn,
  parentIds: readonly string[],
  first: number,
  statuses?: readonly SyncJobStatus[] | null,
): Promise<Job[]> {
  if (first === 0 || parentIds.length === 0) return [];
  let inner = db
    .selectFrom('sync.jobs as j')
    .selectAll('j')
    .select(sql<number>`row_number() over (partition by ${sql.ref(`j.${column}`)} order by j.created_at desc, j.id desc)`.as('rn'))
    .where(`j.${column}`, '=', anyOf(parentIds));
  if (statuses?.length) inner = inner.where('j.status', '=', anyOf(statuses));
  const rows = await db
    .selectFrom(inner.as('t'))
    .selectAll('t')
    .where('t.rn', '<=', first)
    .orderBy(`t.${column}`)
    .orderBy('t.rn')
    .execute();
  return rows.map(({ rn: _rn, ...job }) => job);
}

// keysetPage carries the timestamp in the cursor as PostgreSQL prints it, microseconds included.
const SORT_COLUMNS = { CREATED_AT: 'j.created_at', UPDATED_AT: 'j.updated_at' } as const;

/** Jobs matching the filter, a keyset page at a time; newest created first unless told otherwise. */
export function pageJobs(db: Db, args: PageArgs & { filter?: SyncJobFilter | null; orderBy?: Partial<SyncJobOrder> | null }) {
  const f = args.filter ?? {};
  const order: SyncJobOrder = { field: args.orderBy?.field ?? 'CREATED_AT', direction: args.orderBy?.direction ?? 'DESC' };
  let q = db.selectFrom('sync.jobs as j').selectAll('j');
  if (f.kinds?.length) q = q.where('j.kind', 'in', f.kinds);
  if (f.statuses?.length) q = q.where('j.status', 'in', f.statuses);
  if (f.customerId) q = q.where('j.customer_id', '=', f.customerId);
  if (f.projectId) q = q.where('j.project_id', '=', f.projectId);
  if (f.invoiceId) q = q.where('j.invoice_id', '=', f.invoiceId);
  if (f.sourceId) q = q.where('j.source_id', '=', f.sourceId);
  if (f.createdFrom) q = q.where('j.created_at', '>=', f.createdFrom);
  if (f.createdTo) q = q.where('j.created_at', '<', f.createdTo);
  return keysetPage(q, {
    list: 'syncJobs',
    args,
    sortColumn: SORT_COLUMNS[order.field],
    direction: order.direction,
    idColumn: 'j.id',
    id: (r) => r.id,
  });
}
