import type { Kysely } from 'kysely';
import { byKey, groupByKey } from '../../lib/loaders.ts';
import { type BaseContext, baseContext, type RequestInfo, type SubgraphOptions } from '../../lib/subgraph.ts';
import { findChildrenOfCustomers, findContactsOfCustomers, findCustomersByIds } from './data/customers.ts';
import {
  findOpportunitiesByIds,
  findOpportunitiesOfCustomers,
  findOpportunityMilestones,
  findStageHistory,
  findWorkstreams,
  pipelineTotals,
} from './data/opportunities.ts';
import type { CrmDatabase, OpportunityStage } from './data/tables.ts';

export type CrmContext = BaseContext<CrmDatabase>;

export function createContext(db: Kysely<CrmDatabase>, req: RequestInfo, options?: SubgraphOptions): CrmContext {
  return baseContext(db, req, options);
}

/** Per-request batch loaders: one SQL statement per field per request, whatever the number of parents. */
export const load = {
  customer: (ctx: CrmContext) => ctx.loaders.get('customer', async (ids) => byKey(ids, await findCustomersByIds(ctx.db, ids), (r) => r.id)),
  children: (ctx: CrmContext) =>
    ctx.loaders.get('children', async (ids) => groupByKey(ids, await findChildrenOfCustomers(ctx.db, ids), (r) => r.parent_id!)),
  contacts: (ctx: CrmContext) =>
    ctx.loaders.get('contacts', async (ids) => groupByKey(ids, await findContactsOfCustomers(ctx.db, ids), (r) => r.customer_id)),
  opportunity: (ctx: CrmContext) =>
    ctx.loaders.get('opportunity', async (ids) => byKey(ids, await findOpportunitiesByIds(ctx.db, ids), (r) => r.id)),
  opportunitiesOfCustomer: (ctx: CrmContext, stage: OpportunityStage | null | undefined) =>
    ctx.loaders.get(`opportunitiesOfCustomer:${stage ?? ''}`, async (ids) =>
      groupByKey(ids, await findOpportunitiesOfCustomers(ctx.db, ids, stage), (r) => r.customer_id),
    ),
  stageHistory: (ctx: CrmContext) =>
    ctx.loaders.get('stageHistory', async (ids) => groupByKey(ids, await findStageHistory(ctx.db, ids), (r) => r.opportunity_id)),
  workstreams: (ctx: CrmContext) =>
    ctx.loaders.get('workstreams', async (ids) => groupByKey(ids, await findWorkstreams(ctx.db, ids), (r) => r.opportunity_id)),
  milestones: (ctx: CrmContext) =>
    ctx.loaders.get('milestones', async (ids) => groupByKey(ids, await findOpportunityMilestones(ctx.db, ids), (r) => r.opportunity_id)),
  pipeline: (ctx: CrmContext) =>
    ctx.loaders.get('pipeline', async (ids) => groupByKey(ids, await pipelineTotals(ctx.db, ids), (r) => r.customer_id!)),
};
