import { minutesToHours } from '../../../lib/hours.ts';
import { loadRequired } from '../../../lib/loaders.ts';
import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const OpportunityResolvers: gql.OpportunityResolvers = {
  __resolveReference: (ref, ctx) => load.opportunity(ctx).load(ref.id),
  customer: (o, _, ctx) => loadRequired(load.customer(ctx), o.customer_id, 'Customer'),
  stageHistory: (o, _, ctx) => load.stageHistory(ctx).load(o.id),
  amount: (o) => money(o.amount_minor, o.currency),
  closeDate: (o) => o.close_date,
  billingModel: (o) => o.billing_model,
  serviceLine: (o) => o.service_line,
  wonAt: (o) => o.won_at,
  createdAt: (o) => o.created_at,
  workstreams: async (o, _, ctx) => (await load.workstreams(ctx).load(o.id)).map((w) => ({ ...w, currency: o.currency })),
  milestones: async (o, _, ctx) => (await load.milestones(ctx).load(o.id)).map((m) => ({ ...m, currency: o.currency })),
};

export const StageChangeResolvers: gql.StageChangeResolvers = {
  changedAt: (s) => s.changed_at,
  changedBy: (s) => s.changed_by,
};

export const WorkstreamResolvers: gql.WorkstreamResolvers = {
  hours: (w) => minutesToHours(w.minutes),
  rate: (w) => money(w.rate_minor, w.currency),
};

export const OpportunityMilestoneResolvers: gql.OpportunityMilestoneResolvers = {
  amount: (m) => money(m.amount_minor, m.currency),
  dueDate: (m) => m.due_date,
};
