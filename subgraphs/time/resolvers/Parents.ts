import { load, type NestedEntryArgs, type TimeContext } from '../context.ts';
import { hoursSummary } from './HoursSummary.ts';

type Ref = { id: string };

// Project, Resource and Customer are owned elsewhere: any id resolves, and one the time system has
// never seen simply has no time. Returning null would null out the owner's whole object in the graph.
const reference = (ref: Ref) => ({ id: ref.id });

export const ProjectResolvers = {
  __resolveReference: reference,
  timeEntries: (p: Ref, args: NestedEntryArgs, ctx: TimeContext) => load.entryPage(ctx, 'project_id', args).load(p.id),
  hours: async (p: Ref, _: unknown, ctx: TimeContext) => hoursSummary(await load.minutes(ctx, 'project_id').load(p.id)),
};

export const ResourceResolvers = {
  __resolveReference: reference,
  timeEntries: (r: Ref, args: NestedEntryArgs, ctx: TimeContext) => load.entryPage(ctx, 'resource_id', args).load(r.id),
  hours: async (r: Ref, args: { from?: string | null; to?: string | null }, ctx: TimeContext) =>
    hoursSummary(await load.minutes(ctx, 'resource_id', args).load(r.id)),
};

export const CustomerResolvers = {
  __resolveReference: reference,
  hours: async (c: Ref, _: unknown, ctx: TimeContext) => hoursSummary(await load.minutes(ctx, 'customer_id').load(c.id)),
};
