import { money } from '../../../lib/money.ts';
import { load, type PsaContext } from '../context.ts';
import type { RateCard, RateCardRate, RateOverride } from '../data/tables.ts';

// Rates listed under their card carry its currency; a rate on its own (a mutation result) loads it.
type RateWithCurrency = RateCardRate & { currency?: string };

export const RateCardResolvers = {
  rates: async (rc: RateCard, args: { role?: string | null }, ctx: PsaContext): Promise<RateWithCurrency[]> =>
    (await load.rates(ctx, args.role).load(rc.id)).map((r) => ({ ...r, currency: rc.currency })),
  createdAt: (rc: RateCard) => rc.created_at,
};

export const RateCardRateResolvers = {
  rate: async (r: RateWithCurrency, _: unknown, ctx: PsaContext) =>
    money(r.rate_minor, r.currency ?? (await load.rateCard(ctx).load(r.rate_card_id))!.currency),
  effectiveFrom: (r: RateWithCurrency) => r.effective_from,
};

export const RateOverrideResolvers = {
  project: (o: RateOverride, _: unknown, ctx: PsaContext) => (o.project_id ? load.project(ctx).load(o.project_id) : null),
  customer: (o: RateOverride) => (o.customer_id ? { id: o.customer_id } : null),
  resource: (o: RateOverride, _: unknown, ctx: PsaContext) => (o.resource_id ? load.resource(ctx).load(o.resource_id) : null),
  rate: (o: RateOverride) => money(o.rate_minor, o.currency),
  effectiveFrom: (o: RateOverride) => o.effective_from,
};
