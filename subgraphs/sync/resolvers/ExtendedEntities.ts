import { pageSize } from '../../../lib/pagination.ts';
import { load, type SyncContext } from '../context.ts';
import type { ParentColumn } from '../data/jobs.ts';
import type { SyncJobStatus } from '../data/tables.ts';
import { arDifferenceToGraph, projectSlice, reconciliationKey, reconciliationOptions } from './Reconciliation.ts';

type SyncJobsArgs = { first?: number | null; statuses?: SyncJobStatus[] | null };

/**
 * Resolvers for an entity owned elsewhere to which sync adds `syncJobs`. The reference is all we
 * need (no lookup), so an id no job mentions resolves to an entity with no jobs rather than null.
 */
function withSyncJobs(column: ParentColumn) {
  return {
    __resolveReference: (r: { id: string }) => ({ id: r.id }),
    syncJobs: (parent: { id: string }, args: SyncJobsArgs, ctx: SyncContext) =>
      load.jobsOf(ctx, column, pageSize(args.first), args.statuses).load(parent.id),
  };
}

type ReconciliationArgs = { asOf?: string | null; staleAfterDays?: number | null };

export const CustomerResolvers = {
  ...withSyncJobs('customer_id'),
  arDifference: async (parent: { id: string }, _: unknown, ctx: SyncContext) =>
    (await load.arDifference(ctx).load(parent.id)).map(arDifferenceToGraph),
};

export const ProjectResolvers = {
  ...withSyncJobs('project_id'),
  /** One report per request and arguments, sliced per project: the cost does not grow with the projects asked. */
  reconciliation: async (parent: { id: string }, args: ReconciliationArgs, ctx: SyncContext) =>
    projectSlice(await load.reconciliation(ctx).load(reconciliationKey(reconciliationOptions(args, ctx.clock))), parent.id),
};
export const InvoiceResolvers = withSyncJobs('invoice_id');
