import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import type { PipelineRow } from '../data/opportunities.ts';
import type * as gql from './types.generated.ts';

export const pipelineSummary = (r: PipelineRow) => ({ stage: r.stage, count: r.count, amount: money(r.amount_minor, r.currency) });

export const CustomerResolvers: gql.CustomerResolvers = {
  __resolveReference: (ref, ctx) => load.customer(ctx).load(ref.id),
  parent: (c, _, ctx) => (c.parent_id ? load.customer(ctx).load(c.parent_id) : null),
  children: (c, _, ctx) => load.children(ctx).load(c.id),
  contacts: (c, _, ctx) => load.contacts(ctx).load(c.id),
  opportunities: (c, args, ctx) => load.opportunitiesOfCustomer(ctx, args.stage).load(c.id),
  pipeline: async (c, _, ctx) => (await load.pipeline(ctx).load(c.id)).map(pipelineSummary),
  createdAt: (c) => c.created_at,
  updatedAt: (c) => c.updated_at,
};
