import { addMonths, dayStr } from '../dates.ts';
import type { GenContext, RateCardInfo, RateHistory } from './context.ts';

export const ROLES = ['ANALYST', 'CONSULTANT', 'SENIOR_CONSULTANT', 'MANAGER', 'PARTNER'] as const;
export type Role = (typeof ROLES)[number];

/** Hourly list prices in minor units; whole currency units, so quarter-hour amounts are exact cents. */
const LIST_RATES: Record<string, Record<Role, number>> = {
  USD: { ANALYST: 12_000, CONSULTANT: 16_000, SENIOR_CONSULTANT: 21_000, MANAGER: 26_000, PARTNER: 38_000 },
  EUR: { ANALYST: 11_000, CONSULTANT: 14_500, SENIOR_CONSULTANT: 19_000, MANAGER: 24_000, PARTNER: 34_000 },
};
/** Hourly cost of a resource by role before a +-10% personal spread; always well below the list rate. */
export const COST_RATES: Record<Role, number> = {
  ANALYST: 5_500,
  CONSULTANT: 7_500,
  SENIOR_CONSULTANT: 9_500,
  MANAGER: 12_500,
  PARTNER: 18_000,
};

/** Rounds to whole currency units (100 minor units), half up. */
export function wholeUnits(minor: number): number {
  return Math.round(minor / 100) * 100;
}

/**
 * One rate card per functional currency, each with two generations of role rates: the list prices in
 * force since two years before "as of", and a 5% increase from the first of the month five months ago.
 */
export function generateRateCards(ctx: GenContext): void {
  const currencies = [...new Set(Object.values(ctx.mapping.legalEntities).map((l) => l.functionalCurrency))].sort();
  const oldFrom = addMonths(ctx.asOfDay, -24);
  const raiseFrom = addMonths(ctx.asOfDay, -5);
  for (const currency of currencies) {
    const id = `rc_${currency.toLowerCase()}`;
    ctx.tables['psa.rate_cards'].push({ id, name: `Standard ${currency} rates`, currency, created_at: `${dayStr(oldFrom)}T09:00:00.000Z` });
    const list = LIST_RATES[currency] ?? LIST_RATES.USD!;
    const card: RateCardInfo = { id, currency, rates: new Map() };
    for (const role of ROLES) {
      const history: RateHistory = [
        { fromDay: oldFrom, rateMinor: list[role] },
        { fromDay: raiseFrom, rateMinor: wholeUnits(list[role] * 1.05) },
      ];
      card.rates.set(role, history);
      for (const h of history) {
        ctx.tables['psa.rate_card_rates'].push({
          id: `rcr_${currency.toLowerCase()}_${role.toLowerCase()}_${dayStr(h.fromDay).replaceAll('-', '')}`,
          rate_card_id: id,
          role,
          rate_minor: h.rateMinor,
          effective_from: dayStr(h.fromDay),
        });
      }
    }
    ctx.rateCards.set(currency, card);
  }
}

/** The rate of the latest row with fromDay <= day, or undefined when none has started. */
export function rateOn(history: RateHistory | undefined, day: number): number | undefined {
  if (!history) return undefined;
  let found: number | undefined;
  for (const h of history) if (h.fromDay <= day) found = h.rateMinor;
  return found;
}

export function cardRate(ctx: GenContext, currency: string, role: string, day: number): number {
  const card = ctx.rateCards.get(currency);
  const r = rateOn(card?.rates.get(role), day);
  if (r === undefined) throw new Error(`seed: no ${currency} card rate for ${role} on ${dayStr(day)}`);
  return r;
}
