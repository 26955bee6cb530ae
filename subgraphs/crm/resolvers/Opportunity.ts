import { minutesToHours } from '../../../lib/hours.ts';
import { money } from '../../../lib/money.ts';
import { type CrmContext, load } from '../context.ts';
import type { Opportunity, OpportunityMilestone, StageChange, Workstream } from '../data/tables.ts';

export const OpportunityResolvers = {
  __resolveReference: (ref: { id: string }, ctx: CrmContext) => load.opportunity(ctx).load(ref.id),
  customer: (o: Opportunity, _: unknown, ctx: CrmContext) => load.customer(ctx).load(o.customer_id),
  stageHistory: (o: Opportunity, _: unknown, ctx: CrmContext) => load.stageHistory(ctx).load(o.id),
  amount: (o: Opportunity) => money(o.amount_minor, o.currency),
  closeDate: (o: Opportunity) => o.close_date,
  billingModel: (o: Opportunity) => o.billing_model,
  serviceLine: (o: Opportunity) => o.service_line,
  wonAt: (o: Opportunity) => o.won_at,
  createdAt: (o: Opportunity) => o.created_at,
  workstreams: async (o: Opportunity, _: unknown, ctx: CrmContext) =>
    ((await load.workstreams(ctx).load(o.id)) as Workstream[]).map((w) => ({ ...w, currency: o.currency })),
  milestones: async (o: Opportunity, _: unknown, ctx: CrmContext) =>
    ((await load.milestones(ctx).load(o.id)) as OpportunityMilestone[]).map((m) => ({ ...m, currency: o.currency })),
};

export const StageChangeResolvers = {
  changedAt: (s: StageChange) => s.changed_at,
  changedBy: (s: StageChange) => s.changed_by,
};

export const WorkstreamResolvers = {
  hours: (w: Workstream) => minutesToHours(w.minutes),
  rate: (w: Workstream & { currency: string }) => money(w.rate_minor, w.currency),
};

export const OpportunityMilestoneResolvers = {
  amount: (m: OpportunityMilestone & { currency: string }) => money(m.amount_minor, m.currency),
  dueDate: (m: OpportunityMilestone) => m.due_date,
};
