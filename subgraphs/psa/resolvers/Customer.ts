import { load, type PsaContext } from '../context.ts';
import type { CustomerRef, ProjectStatus } from '../data/tables.ts';

// Customer and Opportunity are owned by the CRM: the PSA cannot tell an unknown id from one without
// PSA data, so references resolve to their key and the PSA fields come back empty (never null).
export const CustomerResolvers = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  projects: (c: { id: string }, args: { status?: ProjectStatus | null }, ctx: PsaContext) =>
    load.projectsOfCustomer(ctx, args.status).load(c.id),
};

export const OpportunityResolvers = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  project: (o: { id: string }, _: unknown, ctx: PsaContext) => load.projectOfOpportunity(ctx).load(o.id),
};

export const CustomerRefResolvers = {
  customer: (r: CustomerRef) => ({ id: r.customer_id }),
  legalEntity: (r: CustomerRef) => (r.legal_entity_id ? { id: r.legal_entity_id } : null),
  paymentTermsDays: (r: CustomerRef) => r.payment_terms_days,
  updatedAt: (r: CustomerRef) => r.updated_at,
};
