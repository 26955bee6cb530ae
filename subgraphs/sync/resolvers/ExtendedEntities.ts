import { pageSize } from '../../../lib/pagination.ts';
import { load } from '../context.ts';
import type { ParentColumn } from '../data/jobs.ts';
import { arDifferenceToGraph, projectSlice, reconciliationKey, reconciliationOptions } from './Reconciliation.ts';
import type * as gql from './types.generated.ts';

/**
 * Resolvers for an entity owned elsewhere to which sync adds `syncJobs`. The reference is all we
 * need (no lookup), so an id no job mentions resolves to an entity with no jobs rather than null.
 */
function withSyncJobs(column: ParentColumn) {
  return {
    __resolveReference: (r) => ({ id: r.id }),
    syncJobs: (parent, args, ctx) => load.jobsOf(ctx, column, pageSize(args.first), args.statuses).load(parent.id),
  } satisfies gql.CustomerResolvers & gql.ProjectResolvers & gql.InvoiceResolvers;
}

export const CustomerResolvers: gql.CustomerResolvers = {
  ...withSyncJobs('customer_id'),
  arDifference: async (parent, _, ctx) => (await load.arDifference(ctx).load(parent.id)).map(arDifferenceToGraph),
};

export const ProjectResolvers: gql.ProjectResolvers = {
  ...withSyncJobs('project_id'),
  /** One report per request and arguments, sliced per project: the cost does not grow with the projects asked. */
  reconciliation: async (parent, args, ctx) =>
    projectSlice(await load.reconciliation(ctx).load(reconciliationKey(reconciliationOptions(args, ctx.clock))), parent.id),
};

export const InvoiceResolvers: gql.InvoiceResolvers = withSyncJobs('invoice_id');
