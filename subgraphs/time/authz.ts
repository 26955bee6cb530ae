import { type AuthzPolicy, asIs, NO_DATA, pinFilterCustomer } from '../../lib/authz.ts';
import { load, type TimeContext } from './context.ts';
import type { TimeEntry } from './data/tables.ts';

/**
 * Time rules: a portal user sees the time booked on its own projects; not people's other work.
 * A project is its customer's as the time system's project list says; one missing from the list has
 * no time here (entries reference the list, with its customer), so its sums are empty for anyone.
 */
export const timePolicy: AuthzPolicy = {
  portal: {
    queries: { timeEntries: pinFilterCustomer, timeEntry: asIs },
    owners: {
      Customer: (c: { id: string }) => c.id,
      Project: async (p: { id: string }, ctx: TimeContext) => (await load.project(ctx).load(p.id))?.customer_id ?? NO_DATA,
      TimeEntry: (e: TimeEntry) => e.customer_id,
    },
    parts: ['HoursSummary', 'PageInfo', 'TimeEntryConnection', 'TimeEntryEdge'],
    restricted: { Resource: ['id'], Timesheet: ['id', 'weekStart', 'status'] },
  },
};
