import { notFound } from '../../../lib/errors.ts';
import { parseMoney } from '../../../lib/money.ts';
import type { RateRequest } from '../api/rates.ts';
import { load, type PsaContext } from '../context.ts';
import { pageProjects } from '../data/projects.ts';
import { pageRateCards } from '../data/rate-cards.ts';
import { pageResources } from '../data/resources.ts';
import type * as gql from './types.generated.ts';

/** The entry override arrives as a decimal string, so its minor units depend on the project currency. */
async function entryOverrideMinor(args: gql.QueryResolveRateArgs, ctx: PsaContext): Promise<number | null> {
  if (args.entryOverride == null) return null;
  const project = await load.project(ctx).load(args.projectId);
  if (!project) throw notFound('Project', args.projectId);
  return parseMoney(args.entryOverride, project.currency, 'entryOverride');
}

export const QueryResolvers: gql.QueryResolvers = {
  projects: (_, args, ctx) => pageProjects(ctx.db, args),
  project: (_, args, ctx) => load.project(ctx).load(args.id),
  resources: (_, args, ctx) => pageResources(ctx.db, args),
  resource: (_, args, ctx) => load.resource(ctx).load(args.id),
  rateCards: (_, args, ctx) => pageRateCards(ctx.db, args),
  rateCard: (_, args, ctx) => load.rateCard(ctx).load(args.id),
  resolveRate: async (_, args, ctx) => {
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
