import { type AuthzPolicy, asIs, pinCustomerArg, pinFilterCustomer } from '../../lib/authz.ts';

/** CRM rules: a portal user sees its own customer, its contacts and opportunities; no hierarchy beyond it. */
export const crmPolicy: AuthzPolicy = {
  portal: {
    queries: { customer: asIs, opportunity: asIs, opportunities: pinFilterCustomer, pipelineSummary: pinCustomerArg },
    owners: { Customer: (r) => r.id, Opportunity: (r) => r.customer_id, Contact: (r) => r.customer_id },
  },
};
