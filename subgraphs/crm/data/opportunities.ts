import { type Kysely, sql, type Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { keysetPage, type PageArgs, type SortDirection } from '../../../lib/pagination.ts';
import type { CrmDatabase, Opportunity, OpportunityMilestone, OpportunityStage, StageChange, Workstream } from './tables.ts';

type Db = Kysely<CrmDatabase> | Transaction<CrmDatabase>;

export type OpportunityFilter = {
  stages?: OpportunityStage[] | null;
  customerId?: string | null;
  serviceLine?: string | null;
  closeDateFrom?: string | null;
  closeDateTo?: string | null;
};
export type OpportunityOrder = { field: 'CLOSE_DATE' | 'NAME' | 'AMOUNT'; direction: SortDirection };

export function findOpportunitiesByIds(db: Db, ids: readonly string[]): Promise<Opportunity[]> {
  return db.selectFrom('crm.opportunities').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function findOpportunitiesOfCustomers(
  db: Db,
  customerIds: readonly string[],
  stage?: OpportunityStage | null,
): Promise<Opportunity[]> {
  let q = db.selectFrom('crm.opportunities').selectAll().where('customer_id', '=', anyOf(customerIds));
  if (stage) q = q.where('stage', '=', stage);
  return q.orderBy('close_date', 'desc').orderBy('id').execute();
}

export function findStageHistory(db: Db, opportunityIds: readonly string[]): Promise<StageChange[]> {
  return db
    .selectFrom('crm.opportunity_stage_history')
    .selectAll()
    .where('opportunity_id', '=', anyOf(opportunityIds))
    .orderBy('id')
    .execute();
}

export function findWorkstreams(db: Db, opportunityIds: readonly string[]): Promise<Workstream[]> {
  return db.selectFrom('crm.workstreams').selectAll().where('opportunity_id', '=', anyOf(opportunityIds)).orderBy('id').execute();
}

export function findOpportunityMilestones(db: Db, opportunityIds: readonly string[]): Promise<OpportunityMilestone[]> {
  return db
    .selectFrom('crm.opportunity_milestones')
    .selectAll()
    .where('opportunity_id', '=', anyOf(opportunityIds))
    .orderBy('due_date')
    .orderBy('id')
    .execute();
}

export function pageOpportunities(db: Db, args: PageArgs & { filter?: OpportunityFilter | null; orderBy?: OpportunityOrder | null }) {
  const f = args.filter ?? {};
  let q = db.selectFrom('crm.opportunities as o').selectAll('o');
  if (f.stages?.length) q = q.where('o.stage', 'in', f.stages);
  if (f.customerId) q = q.where('o.customer_id', '=', f.customerId);
  if (f.serviceLine) q = q.where('o.service_line', '=', f.serviceLine);
  if (f.closeDateFrom) q = q.where('o.close_date', '>=', f.closeDateFrom);
  if (f.closeDateTo) q = q.where('o.close_date', '<=', f.closeDateTo);
  const order = args.orderBy ?? { field: 'CLOSE_DATE', direction: 'DESC' };
  const sortColumn = { CLOSE_DATE: 'o.close_date', NAME: 'o.name', AMOUNT: 'o.amount_minor' }[order.field];
  return keysetPage(q, {
    list: 'opportunities',
    args,
    sortColumn,
    direction: order.direction,
    idColumn: 'o.id',
    id: (r) => r.id,
  });
}

export type PipelineRow = { customer_id: string | null; stage: OpportunityStage; currency: string; count: number; amount_minor: number };

/** Pipeline totals by stage and currency, per customer when `customerIds` is given. */
export async function pipelineTotals(db: Db, customerIds?: readonly string[]): Promise<PipelineRow[]> {
  let q = db
    .selectFrom('crm.opportunities')
    .select(['stage', 'currency', sql<number>`count(*)::int`.as('count'), sql<number>`sum(amount_minor)::bigint`.as('amount_minor')]);
  if (customerIds) {
    return q
      .select('customer_id')
      .where('customer_id', '=', anyOf(customerIds))
      .groupBy(['customer_id', 'stage', 'currency'])
      .orderBy('stage')
      .orderBy('currency')
      .execute();
  }
  q = q.groupBy(['stage', 'currency']).orderBy('stage').orderBy('currency');
  return (await q.execute()).map((r) => ({ ...r, customer_id: null }));
}
