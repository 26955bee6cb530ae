import { pageSize } from '../../../lib/pagination.ts';
import { load, type SyncContext } from '../context.ts';
import type { ParentColumn } from '../data/jobs.ts';
import type { SyncJobStatus } from '../data/tables.ts';

type SyncJobsArgs = { first?: number | null; statuses?: SyncJobStatus[] | null };

/**
 * Resolvers for an entity owned elsewhere to which sync adds `syncJobs`. The reference is all we
 * need (no lookup), so an id no job mentions resolves to an entity with no jobs rather than null.
 */
function withSyncJobs(column: ParentColumn) {
  return {
    __resolveReference: (r: { id: string }) => ({ id: r.id }),
    syncJobs: (parent: { id: string }, args: SyncJobsArgs, ctx: SyncContext) => load.jobsOf(ctx, column, pageSize(args.first), args.statuses).load(parent.id),
  };
}

export const CustomerResolvers = withSyncJobs('customer_id');
export const ProjectResolvers = withSyncJobs('project_id');
export const InvoiceResolvers = withSyncJobs('invoice_id');
