import { minutesToHours } from '../../../lib/hours.ts';
import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const ResourceResolvers: gql.ResourceResolvers = {
  __resolveReference: (ref, ctx) => load.resource(ctx).load(ref.id),
  costRate: (r) => money(r.cost_rate_minor, r.cost_currency),
  legalEntity: (r) => ({ id: r.legal_entity_id }),
  capacityHoursPerWeek: (r) => minutesToHours(r.capacity_minutes_per_week),
  assignments: (r, _, ctx) => load.assignmentsOfResource(ctx).load(r.id),
  createdAt: (r) => r.created_at,
};
