import type { RoundingMode } from '../types.ts';
import type { GenContext, RateHistory } from './context.ts';
import { rateOn } from './rates.ts';

export type RateSource = 'ENTRY_OVERRIDE' | 'PROJECT_RESOURCE' | 'PROJECT_ROLE' | 'CUSTOMER_ROLE' | 'RATE_CARD';

/**
 * The documented resolution order (subgraphs/psa/api/rates.ts): entry override > project+resource >
 * project+role > customer+role (in the project's currency) > rate card role default; within one rule
 * the latest effective_from on or before the work date wins.
 */
export class RateResolver {
  private readonly projectResource = new Map<string, RateHistory>();
  private readonly projectRole = new Map<string, RateHistory>();
  private readonly customerRole = new Map<string, RateHistory>();

  constructor(private readonly ctx: GenContext) {
    const parse = (d: string) => Math.round(Date.parse(`${d}T00:00:00Z`) / 86_400_000);
    for (const o of ctx.tables['psa.rate_overrides']) {
      const key =
        o.scope === 'PROJECT_RESOURCE'
          ? `${o.project_id}|${o.resource_id}`
          : o.scope === 'PROJECT_ROLE'
            ? `${o.project_id}|${o.role}`
            : `${o.customer_id}|${o.role}|${o.currency}`;
      const map = o.scope === 'PROJECT_RESOURCE' ? this.projectResource : o.scope === 'PROJECT_ROLE' ? this.projectRole : this.customerRole;
      const h = map.get(key) ?? [];
      h.push({ fromDay: parse(o.effective_from), rateMinor: o.rate_minor });
      h.sort((a, b) => a.fromDay - b.fromDay);
      map.set(key, h);
    }
  }

  resolve(q: {
    projectId: string;
    customerId: string;
    currency: string;
    resourceId: string;
    role: string;
    day: number;
    entryOverride: number | null;
  }): { rate: number; source: RateSource } {
    if (q.entryOverride !== null) return { rate: q.entryOverride, source: 'ENTRY_OVERRIDE' };
    let r = rateOn(this.projectResource.get(`${q.projectId}|${q.resourceId}`), q.day);
    if (r !== undefined) return { rate: r, source: 'PROJECT_RESOURCE' };
    r = rateOn(this.projectRole.get(`${q.projectId}|${q.role}`), q.day);
    if (r !== undefined) return { rate: r, source: 'PROJECT_ROLE' };
    r = rateOn(this.customerRole.get(`${q.customerId}|${q.role}|${q.currency}`), q.day);
    if (r !== undefined) return { rate: r, source: 'CUSTOMER_ROLE' };
    r = rateOn(this.ctx.rateCards.get(q.currency)?.rates.get(q.role), q.day);
    if (r !== undefined) return { rate: r, source: 'RATE_CARD' };
    throw new Error(`seed: no rate for ${q.role} on ${q.projectId}`);
  }
}

/** Minutes rounded to the contract's increment (NEAREST rounds halves up). */
export function roundMinutes(minutes: number, increment: number, mode: RoundingMode): number {
  if (increment <= 1) return minutes;
  if (mode === 'UP') return Math.ceil(minutes / increment) * increment;
  if (mode === 'DOWN') return Math.floor(minutes / increment) * increment;
  return Math.floor((minutes * 2 + increment) / (increment * 2)) * increment;
}
