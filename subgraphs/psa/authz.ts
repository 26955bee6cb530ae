import { type AuthzPolicy, asIs, pinFilterCustomer } from '../../lib/authz.ts';

/** PSA rules: a portal user sees its own projects and contracts; people and rate cards only by name. */
export const psaPolicy: AuthzPolicy = {
  portal: {
    queries: { projects: pinFilterCustomer, project: asIs },
    owners: { Customer: (r) => r.id, Project: (r) => r.customer_id, Contract: (r) => r.customer_id },
    restricted: { Resource: ['id', 'name', 'role'], RateCard: ['id', 'name', 'currency'], Assignment: ['id', 'role', 'resource'] },
  },
};
