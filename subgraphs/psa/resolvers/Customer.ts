import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

// Customer and Opportunity are owned by the CRM: the PSA cannot tell an unknown id from one without
// PSA data, so references resolve to their key and the PSA fields come back empty (never null).
export const CustomerResolvers: gql.CustomerResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  projects: (c, args, ctx) => load.projectsOfCustomer(ctx, args.status).load(c.id),
};

export const OpportunityResolvers: gql.OpportunityResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  project: (o, _, ctx) => load.projectOfOpportunity(ctx).load(o.id),
};

export const CustomerRefResolvers: gql.CustomerRefResolvers = {
  customer: (r) => ({ id: r.customer_id }),
  legalEntity: (r) => (r.legal_entity_id ? { id: r.legal_entity_id } : null),
  paymentTermsDays: (r) => r.payment_terms_days,
  updatedAt: (r) => r.updated_at,
};
