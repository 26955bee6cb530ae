import { loadRequired } from '../../../lib/loaders.ts';
import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const RateCardResolvers: gql.RateCardResolvers = {
  rates: async (rc, args, ctx) => (await load.rates(ctx, args.role).load(rc.id)).map((r) => ({ ...r, currency: rc.currency })),
  createdAt: (rc) => rc.created_at,
};

export const RateCardRateResolvers: gql.RateCardRateResolvers = {
  rate: async (r, _, ctx) =>
    money(r.rate_minor, r.currency ?? (await loadRequired(load.rateCard(ctx), r.rate_card_id, 'RateCard')).currency),
  effectiveFrom: (r) => r.effective_from,
};

export const RateOverrideResolvers: gql.RateOverrideResolvers = {
  project: (o, _, ctx) => (o.project_id ? load.project(ctx).load(o.project_id) : null),
  customer: (o) => (o.customer_id ? { id: o.customer_id } : null),
  resource: (o, _, ctx) => (o.resource_id ? load.resource(ctx).load(o.resource_id) : null),
  rate: (o) => money(o.rate_minor, o.currency),
  effectiveFrom: (o) => o.effective_from,
};
