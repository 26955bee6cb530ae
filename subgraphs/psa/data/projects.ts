import { type Kysely, sql, type Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { keysetPage, type PageArgs, type SortDirection } from '../../../lib/pagination.ts';
import { containsPattern } from './like.ts';
import type { Project, ProjectStatus, PsaDatabase } from './tables.ts';

type Db = Kysely<PsaDatabase> | Transaction<PsaDatabase>;

export type ProjectFilter = {
  customerId?: string | null;
  status?: ProjectStatus | null;
  serviceLine?: string | null;
  billable?: boolean | null;
  nameContains?: string | null;
};
export type ProjectOrder = { field: 'NAME' | 'CODE' | 'START_DATE'; direction: SortDirection };

const SORT_COLUMNS = { NAME: 'p.name', CODE: 'p.code', START_DATE: 'p.start_date' } as const;

export function findProjectsByIds(db: Db, ids: readonly string[]): Promise<Project[]> {
  return db.selectFrom('psa.projects').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function findProjectsByOpportunityIds(db: Db, opportunityIds: readonly string[]): Promise<Project[]> {
  return db.selectFrom('psa.projects').selectAll().where('opportunity_id', '=', anyOf(opportunityIds)).execute();
}

export function findProjectsOfCustomers(db: Db, customerIds: readonly string[], status?: ProjectStatus | null): Promise<Project[]> {
  let q = db.selectFrom('psa.projects').selectAll().where('customer_id', '=', anyOf(customerIds));
  if (status) q = q.where('status', '=', status);
  return q.orderBy('name').orderBy('id').execute();
}

export function pageProjects(db: Db, args: PageArgs & { filter?: ProjectFilter | null; orderBy?: ProjectOrder | null }) {
  const f = args.filter ?? {};
  let q = db.selectFrom('psa.projects as p').selectAll('p');
  if (f.customerId) q = q.where('p.customer_id', '=', f.customerId);
  if (f.status) q = q.where('p.status', '=', f.status);
  if (f.serviceLine) q = q.where('p.service_line', '=', f.serviceLine);
  if (f.billable != null) q = q.where('p.billable', '=', f.billable);
  if (f.nameContains) q = q.where('p.name', 'ilike', containsPattern(f.nameContains));
  const order = args.orderBy ?? { field: 'NAME', direction: 'ASC' };
  return keysetPage(q, {
    list: 'projects',
    args,
    sortColumn: SORT_COLUMNS[order.field],
    direction: order.direction,
    idColumn: 'p.id',
    id: (r) => r.id,
  });
}

export type PlannedMinutesRow = { project_id: string; planned_minutes: number };

/** Planned minutes of all assignments, summed in SQL per project. */
export function plannedMinutesOfProjects(db: Db, projectIds: readonly string[]): Promise<PlannedMinutesRow[]> {
  return db
    .selectFrom('psa.assignments')
    .select(['project_id', sql<number>`sum(planned_minutes)::bigint`.as('planned_minutes')])
    .where('project_id', '=', anyOf(projectIds))
    .groupBy('project_id')
    .execute();
}
