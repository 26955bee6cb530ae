import { type AuthzPolicy, asIs, pinCustomerArg, pinFilterCustomer } from '../../lib/authz.ts';
import type { Contact, Customer, Opportunity } from './data/tables.ts';

/** CRM rules: a portal user sees its own customer, its contacts and opportunities; no hierarchy beyond it. */
export const crmPolicy: AuthzPolicy = {
  portal: {
    queries: { customer: asIs, opportunity: asIs, opportunities: pinFilterCustomer, pipelineSummary: pinCustomerArg },
    owners: {
      // A customer owns itself: rows and `{ id }` references alike, so parent and children of another customer are null.
      Customer: (c: Pick<Customer, 'id'>) => c.id,
      Opportunity: (o: Opportunity) => o.customer_id,
      Contact: (c: Contact) => c.customer_id,
    },
    // Children and values of an opportunity or customer, and the pinned pipeline summary.
    parts: [
      'Money',
      'PageInfo',
      'StageChange',
      'Workstream',
      'OpportunityMilestone',
      'PipelineStageSummary',
      'OpportunityConnection',
      'OpportunityEdge',
    ],
  },
};
