import type { Kysely } from 'kysely';
import { byKey, groupByKey } from '../../lib/loaders.ts';
import { type BaseContext, baseContext, type RequestInfo, type SubgraphOptions } from '../../lib/subgraph.ts';
import { type RateRequest, type ResolvedRate, resolveRates } from './api/rates.ts';
import { findProjectsByIds, findProjectsByOpportunityIds, findProjectsOfCustomers, plannedMinutesOfProjects } from './data/projects.ts';
import { findOverridesOfProjects, findRateCardsByIds, findRatesOfRateCards } from './data/rate-cards.ts';
import { findResourcesByIds } from './data/resources.ts';
import type { ProjectStatus, PsaDatabase } from './data/tables.ts';
import { findAssignmentsOfProjects, findAssignmentsOfResources, findContractsOfProjects, findTasksOfProjects } from './data/work.ts';

export type PsaContext = BaseContext<PsaDatabase>;

export function createContext(db: Kysely<PsaDatabase>, req: RequestInfo, options?: SubgraphOptions): PsaContext {
  return baseContext(db, req, options);
}

/** Per-request batch loaders: one SQL statement per field per request, whatever the number of parents. */
export const load = {
  project: (ctx: PsaContext) => ctx.loaders.get('project', async (ids) => byKey(ids, await findProjectsByIds(ctx.db, ids), (r) => r.id)),
  projectOfOpportunity: (ctx: PsaContext) =>
    ctx.loaders.get('projectOfOpportunity', async (ids) =>
      byKey(ids, await findProjectsByOpportunityIds(ctx.db, ids), (r) => r.opportunity_id!),
    ),
  projectsOfCustomer: (ctx: PsaContext, status: ProjectStatus | null | undefined) =>
    ctx.loaders.get(`projectsOfCustomer:${status ?? ''}`, async (ids) =>
      groupByKey(ids, await findProjectsOfCustomers(ctx.db, ids, status), (r) => r.customer_id),
    ),
  plannedMinutes: (ctx: PsaContext) =>
    ctx.loaders.get('plannedMinutes', async (ids) =>
      byKey(ids, await plannedMinutesOfProjects(ctx.db, ids), (r) => r.project_id).map((r) => r?.planned_minutes ?? 0),
    ),
  resource: (ctx: PsaContext) => ctx.loaders.get('resource', async (ids) => byKey(ids, await findResourcesByIds(ctx.db, ids), (r) => r.id)),
  rateCard: (ctx: PsaContext) => ctx.loaders.get('rateCard', async (ids) => byKey(ids, await findRateCardsByIds(ctx.db, ids), (r) => r.id)),
  rates: (ctx: PsaContext, role: string | null | undefined) =>
    ctx.loaders.get(`rates:${role ?? ''}`, async (ids) =>
      groupByKey(ids, await findRatesOfRateCards(ctx.db, ids, role), (r) => r.rate_card_id),
    ),
  overridesOfProject: (ctx: PsaContext) =>
    ctx.loaders.get('overridesOfProject', async (ids) => groupByKey(ids, await findOverridesOfProjects(ctx.db, ids), (r) => r.project_id!)),
  contract: (ctx: PsaContext) =>
    ctx.loaders.get('contract', async (ids) => byKey(ids, await findContractsOfProjects(ctx.db, ids), (r) => r.project_id)),
  tasks: (ctx: PsaContext) =>
    ctx.loaders.get('tasks', async (ids) => groupByKey(ids, await findTasksOfProjects(ctx.db, ids), (r) => r.project_id)),
  assignmentsOfProject: (ctx: PsaContext) =>
    ctx.loaders.get('assignmentsOfProject', async (ids) =>
      groupByKey(ids, await findAssignmentsOfProjects(ctx.db, ids), (r) => r.project_id),
    ),
  assignmentsOfResource: (ctx: PsaContext) =>
    ctx.loaders.get('assignmentsOfResource', async (ids) =>
      groupByKey(ids, await findAssignmentsOfResources(ctx.db, ids), (r) => r.resource_id),
    ),
  /** Keys are JSON-encoded rate requests, so several `resolveRate` fields in one operation cost one statement. */
  rate: (ctx: PsaContext) =>
    ctx.loaders.get<ResolvedRate>('rate', (keys) =>
      resolveRates(
        ctx.db,
        keys.map((k) => JSON.parse(k) as RateRequest),
      ),
    ),
};
