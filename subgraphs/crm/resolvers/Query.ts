import { load } from '../context.ts';
import { pageCustomers } from '../data/customers.ts';
import { pageOpportunities, pipelineTotals } from '../data/opportunities.ts';
import { pipelineSummary } from './Customer.ts';
import type * as gql from './types.generated.ts';

export const QueryResolvers: gql.QueryResolvers = {
  customers: (_, args, ctx) => pageCustomers(ctx.db, args),
  customer: (_, args, ctx) => load.customer(ctx).load(args.id),
  opportunities: (_, args, ctx) => pageOpportunities(ctx.db, args),
  opportunity: (_, args, ctx) => load.opportunity(ctx).load(args.id),
  pipelineSummary: async (_, args, ctx) =>
    (await pipelineTotals(ctx.db, args.customerId ? [args.customerId] : undefined)).map(pipelineSummary),
};
