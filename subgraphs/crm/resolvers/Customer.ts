import { money } from '../../../lib/money.ts';
import { type CrmContext, load } from '../context.ts';
import type { PipelineRow } from '../data/opportunities.ts';
import type { Customer, OpportunityStage } from '../data/tables.ts';

export const pipelineSummary = (r: PipelineRow) => ({ stage: r.stage, count: r.count, amount: money(r.amount_minor, r.currency) });

export const CustomerResolvers = {
  __resolveReference: (ref: { id: string }, ctx: CrmContext) => load.customer(ctx).load(ref.id),
  parent: (c: Customer, _: unknown, ctx: CrmContext) => (c.parent_id ? load.customer(ctx).load(c.parent_id) : null),
  children: (c: Customer, _: unknown, ctx: CrmContext) => load.children(ctx).load(c.id),
  contacts: (c: Customer, _: unknown, ctx: CrmContext) => load.contacts(ctx).load(c.id),
  opportunities: (c: Customer, args: { stage?: OpportunityStage | null }, ctx: CrmContext) =>
    load.opportunitiesOfCustomer(ctx, args.stage).load(c.id),
  pipeline: async (c: Customer, _: unknown, ctx: CrmContext) =>
    ((await load.pipeline(ctx).load(c.id)) as PipelineRow[]).map(pipelineSummary),
  createdAt: (c: Customer) => c.created_at,
  updatedAt: (c: Customer) => c.updated_at,
};
