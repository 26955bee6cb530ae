import { minutesToHours } from '../../../lib/hours.ts';
import { money } from '../../../lib/money.ts';
import { load, type PsaContext } from '../context.ts';
import type { Resource } from '../data/tables.ts';

export const ResourceResolvers = {
  __resolveReference: (ref: { id: string }, ctx: PsaContext) => load.resource(ctx).load(ref.id),
  costRate: (r: Resource) => money(r.cost_rate_minor, r.cost_currency),
  legalEntity: (r: Resource) => ({ id: r.legal_entity_id }),
  capacityHoursPerWeek: (r: Resource) => minutesToHours(r.capacity_minutes_per_week),
  assignments: (r: Resource, _: unknown, ctx: PsaContext) => load.assignmentsOfResource(ctx).load(r.id),
  createdAt: (r: Resource) => r.created_at,
};
