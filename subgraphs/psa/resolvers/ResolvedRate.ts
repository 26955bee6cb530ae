import { money } from '../../../lib/money.ts';
import type { ResolvedRate } from '../api/rates.ts';
import { load, type PsaContext } from '../context.ts';

export const ResolvedRateResolvers = {
  rate: (r: ResolvedRate) => money(r.rateMinor, r.currency),
  project: (r: ResolvedRate, _: unknown, ctx: PsaContext) => load.project(ctx).load(r.projectId),
  resource: (r: ResolvedRate, _: unknown, ctx: PsaContext) => load.resource(ctx).load(r.resourceId),
};
