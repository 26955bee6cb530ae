/** What the time resolvers hand to GraphQL types that are not one table row; codegen.ts maps the types here. */
import type { Connection } from '../../../lib/pagination.ts';
import type { TimeEntry, Timesheet } from '../data/tables.ts';

export type TimeEntryConnectionModel = Connection<TimeEntry>;
export type TimesheetConnectionModel = Connection<Timesheet>;
