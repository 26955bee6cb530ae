import { type Kysely, sql, type Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { keysetPage, type PageArgs } from '../../../lib/pagination.ts';
import type { BillableItem, BillableItemStatus, BillingDatabase } from './tables.ts';

type Db = Kysely<BillingDatabase> | Transaction<BillingDatabase>;

export type BillableItemFilter = {
  projectId?: string | null;
  customerId?: string | null;
  status?: BillableItemStatus | null;
  from?: string | null;
  to?: string | null;
};

export function findItemsByIds(db: Db, ids: readonly string[]): Promise<BillableItem[]> {
  return db.selectFrom('billing.billable_items').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function findItemsOfTimeEntries(db: Db, timeEntryIds: readonly string[]): Promise<BillableItem[]> {
  return db
    .selectFrom('billing.billable_items')
    .selectAll()
    .where('source_type', '=', 'TIME_ENTRY')
    .where('source_id', '=', anyOf(timeEntryIds))
    .execute();
}

export function findItemsOfLines(db: Db, lineIds: readonly string[]): Promise<BillableItem[]> {
  return db
    .selectFrom('billing.billable_items')
    .selectAll()
    .where('invoice_line_id', '=', anyOf(lineIds))
    .orderBy('work_date')
    .orderBy('id')
    .execute();
}

/** Which of the projects have UNBILLED items of some amount dated up to their `through`: one index probe per project. */
export async function projectsWithItemsDue(db: Db, due: readonly { projectId: string; through: string }[]): Promise<Set<string>> {
  if (due.length === 0) return new Set();
  const rows = await sql<{ project_id: string }>`
    select x.project_id from jsonb_to_recordset(${JSON.stringify(due.map((d) => ({ project_id: d.projectId, through: d.through })))}::jsonb) as x(project_id text, through date)
     where exists (select 1 from billing.billable_items i where i.project_id = x.project_id and i.status = 'UNBILLED' and i.work_date <= x.through and i.amount_minor > 0)`.execute(
    db,
  );
  return new Set(rows.rows.map((r) => r.project_id));
}

/** UNBILLED items of amount zero (time past a cap) dated up to each project's `through`. */
export async function zeroItemsDueOf(db: Db, due: readonly { projectId: string; through: string }[]): Promise<BillableItem[]> {
  const rows = await sql<BillableItem>`
    select i.* from billing.billable_items i
      join jsonb_to_recordset(${JSON.stringify(due.map((d) => ({ project_id: d.projectId, through: d.through })))}::jsonb) as x(project_id text, through date)
        on x.project_id = i.project_id
     where i.status = 'UNBILLED' and i.work_date <= x.through and i.amount_minor = 0
     order by i.id`.execute(db);
  return rows.rows;
}

export function findItemsOfProjects(db: Db, projectIds: readonly string[], status?: BillableItemStatus | null): Promise<BillableItem[]> {
  let q = db.selectFrom('billing.billable_items').selectAll().where('project_id', '=', anyOf(projectIds));
  if (status) q = q.where('status', '=', status);
  return q.orderBy('work_date').orderBy('id').execute();
}

export function pageBillableItems(db: Db, args: PageArgs & { filter?: BillableItemFilter | null }) {
  const f = args.filter ?? {};
  let q = db.selectFrom('billing.billable_items as b').selectAll('b');
  if (f.projectId) q = q.where('b.project_id', '=', f.projectId);
  if (f.customerId) q = q.where('b.customer_id', '=', f.customerId);
  if (f.status) q = q.where('b.status', '=', f.status);
  if (f.from) q = q.where('b.work_date', '>=', f.from);
  if (f.to) q = q.where('b.work_date', '<=', f.to);
  return keysetPage(q, { list: 'billableItems', args, sortColumn: 'b.work_date', direction: 'ASC', idColumn: 'b.id', id: (r) => r.id });
}

export type UnbilledWorkRow = { project_id: string; customer_id: string; currency: string; service_line: string; amount_minor: number };

/** Approved unbilled T&M work of a legal entity's projects dated up to `through`, per project: what a period end accrues. */
export async function unbilledWorkOfEntity(db: Db, legalEntityId: string, through: string): Promise<UnbilledWorkRow[]> {
  const r = await sql<UnbilledWorkRow>`
    select i.project_id, r.customer_id, i.currency, r.service_line, sum(i.amount_minor)::bigint as amount_minor
      from billing.billable_items i join billing.rules r on r.project_id = i.project_id
     where r.legal_entity_id = ${legalEntityId} and i.status = 'UNBILLED' and i.amount_minor > 0 and i.work_date <= ${through}::date
     group by i.project_id, r.customer_id, i.currency, r.service_line
     order by i.currency, i.project_id`.execute(db);
  return r.rows;
}
