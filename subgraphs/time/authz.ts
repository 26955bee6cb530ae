import { type AuthzPolicy, asIs, pinFilterCustomer } from '../../lib/authz.ts';

/** Time rules: a portal user sees the time booked on its own projects; not people's other work. */
export const timePolicy: AuthzPolicy = {
  portal: {
    queries: { timeEntries: pinFilterCustomer, timeEntry: asIs },
    owners: { Customer: (r) => r.id, TimeEntry: (r) => r.customer_id },
    restricted: { Resource: ['id'], Timesheet: ['id', 'weekStart', 'status'] },
  },
};
