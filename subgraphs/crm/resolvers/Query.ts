import type { PageArgs } from '../../../lib/pagination.ts';
import { type CrmContext, load } from '../context.ts';
import { type CustomerFilter, type CustomerOrder, pageCustomers } from '../data/customers.ts';
import { type OpportunityFilter, type OpportunityOrder, pageOpportunities, pipelineTotals } from '../data/opportunities.ts';
import { pipelineSummary } from './Customer.ts';

export const QueryResolvers = {
  customers: (_: unknown, args: PageArgs & { filter?: CustomerFilter; orderBy?: CustomerOrder }, ctx: CrmContext) =>
    pageCustomers(ctx.db, args),
  customer: (_: unknown, args: { id: string }, ctx: CrmContext) => load.customer(ctx).load(args.id),
  opportunities: (_: unknown, args: PageArgs & { filter?: OpportunityFilter; orderBy?: OpportunityOrder }, ctx: CrmContext) =>
    pageOpportunities(ctx.db, args),
  opportunity: (_: unknown, args: { id: string }, ctx: CrmContext) => load.opportunity(ctx).load(args.id),
  pipelineSummary: async (_: unknown, args: { customerId?: string | null }, ctx: CrmContext) =>
    (await pipelineTotals(ctx.db, args.customerId ? [args.customerId] : undefined)).map(pipelineSummary),
};
