import { divRoundHalfUp, money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

/** Margin over revenue in percent with one decimal, rounded half away from zero; null without revenue. */
export function marginPercent(marginMinor: number, revenueMinor: number): string | null {
  if (revenueMinor === 0) return null;
  const sign = revenueMinor < 0 ? -1n : 1n;
  const tenths = divRoundHalfUp(BigInt(marginMinor) * 1000n * sign, BigInt(revenueMinor) * sign);
  const abs = tenths < 0n ? -tenths : tenths;
  return `${tenths < 0n ? '-' : ''}${abs / 10n}.${abs % 10n}`;
}

export const ProjectResolvers: gql.ProjectResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  financials: async (p, _, ctx) => {
    const row = await load.projectFinancials(ctx).load(p.id);
    const currency = row?.functional_currency;
    if (!row || !currency) return { legalEntity: null, revenue: null, cost: null, margin: null, marginPercent: null };
    const margin = row.revenue_minor - row.cost_minor;
    return {
      legalEntity: await load.legalEntity(ctx).load(row.legal_entity_id!),
      revenue: money(row.revenue_minor, currency),
      cost: money(row.cost_minor, currency),
      margin: money(margin, currency),
      marginPercent: marginPercent(margin, row.revenue_minor),
    };
  },
};
