import type { EntityRef } from '../../../lib/entity-ref.ts';
import { load } from '../context.ts';
import { hoursSummary } from './HoursSummary.ts';
import type * as gql from './types.generated.ts';

// Project, Resource and Customer are owned elsewhere: any id resolves, and one the time system has
// never seen simply has no time. Returning null would null out the owner's whole object in the graph.
const reference = (ref: EntityRef) => ({ id: ref.id });

export const ProjectResolvers: gql.ProjectResolvers = {
  __resolveReference: reference,
  timeEntries: (p, args, ctx) => load.entryPage(ctx, 'project_id', args).load(p.id),
  hours: async (p, _, ctx) => hoursSummary(await load.minutes(ctx, 'project_id').load(p.id)),
};

export const ResourceResolvers: gql.ResourceResolvers = {
  __resolveReference: reference,
  timeEntries: (r, args, ctx) => load.entryPage(ctx, 'resource_id', args).load(r.id),
  hours: async (r, args, ctx) => hoursSummary(await load.minutes(ctx, 'resource_id', args).load(r.id)),
};

export const CustomerResolvers: gql.CustomerResolvers = {
  __resolveReference: reference,
  hours: async (c, _, ctx) => hoursSummary(await load.minutes(ctx, 'customer_id').load(c.id)),
};
