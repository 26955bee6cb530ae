import { notFound } from '../../../lib/errors.ts';
import { parseMoney } from '../../../lib/money.ts';
import type { PageArgs } from '../../../lib/pagination.ts';
import type { RateRequest } from '../api/rates.ts';
import { load, type PsaContext } from '../context.ts';
import { type ProjectFilter, type ProjectOrder, pageProjects } from '../data/projects.ts';
import { pageRateCards, type RateCardFilter } from '../data/rate-cards.ts';
import { pageResources, type ResourceFilter } from '../data/resources.ts';

type ResolveRateArgs = { projectId: string; resourceId: string; role?: string | null; date: string; entryOverride?: string | null };

/** The entry override arrives as a decimal string, so its minor units depend on the project currency. */
async function entryOverrideMinor(args: ResolveRateArgs, ctx: PsaContext): Promise<number | null> {
  if (args.entryOverride == null) return null;
  const project = await load.project(ctx).load(args.projectId);
  if (!project) throw notFound('Project', args.projectId);
  return parseMoney(args.entryOverride, project.currency, 'entryOverride');
}

export const QueryResolvers = {
  projects: (_: unknown, args: PageArgs & { filter?: ProjectFilter; orderBy?: ProjectOrder }, ctx: PsaContext) =>
    pageProjects(ctx.db, args),
  project: (_: unknown, args: { id: string }, ctx: PsaContext) => load.project(ctx).load(args.id),
  resources: (_: unknown, args: PageArgs & { filter?: ResourceFilter }, ctx: PsaContext) => pageResources(ctx.db, args),
  resource: (_: unknown, args: { id: string }, ctx: PsaContext) => load.resource(ctx).load(args.id),
  rateCards: (_: unknown, args: PageArgs & { filter?: RateCardFilter }, ctx: PsaContext) => pageRateCards(ctx.db, args),
  rateCard: (_: unknown, args: { id: string }, ctx: PsaContext) => load.rateCard(ctx).load(args.id),
  resolveRate: async (_: unknown, args: ResolveRateArgs, ctx: PsaContext) => {
    const request: RateRequest = {
      projectId: args.projectId,
      resourceId: args.resourceId,
      role: args.role ?? null,
      date: args.date,
      entryOverrideMinor: await entryOverrideMinor(args, ctx),
    };
    return load.rate(ctx).load(JSON.stringify(request));
  },
};
