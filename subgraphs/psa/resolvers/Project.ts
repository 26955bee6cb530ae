import { minutesToHours } from '../../../lib/hours.ts';
import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const ProjectResolvers: gql.ProjectResolvers = {
  __resolveReference: (ref, ctx) => load.project(ctx).load(ref.id),
  customer: (p) => ({ id: p.customer_id }),
  opportunity: (p) => (p.opportunity_id ? { id: p.opportunity_id } : null),
  legalEntity: (p) => ({ id: p.legal_entity_id }),
  startDate: (p) => p.start_date,
  endDate: (p) => p.end_date,
  serviceLine: (p) => p.service_line,
  // The budget's fields resolve from the project row; only plannedHours costs a (batched) query.
  budget: (p) => p,
  contract: (p, _, ctx) => load.contract(ctx).load(p.id),
  rateCard: (p, _, ctx) => (p.rate_card_id ? load.rateCard(ctx).load(p.rate_card_id) : null),
  rateOverrides: (p, _, ctx) => load.overridesOfProject(ctx).load(p.id),
  tasks: (p, _, ctx) => load.tasks(ctx).load(p.id),
  assignments: (p, _, ctx) => load.assignmentsOfProject(ctx).load(p.id),
  createdAt: (p) => p.created_at,
  updatedAt: (p) => p.updated_at,
};

export const ProjectBudgetResolvers: gql.ProjectBudgetResolvers = {
  hours: (p) => (p.budget_minutes === null ? null : minutesToHours(p.budget_minutes)),
  fee: (p) => (p.budget_fee_minor === null ? null : money(p.budget_fee_minor, p.currency)),
  plannedHours: async (p, _, ctx) => minutesToHours(await load.plannedMinutes(ctx).load(p.id)),
  remainingHours: async (p, _, ctx) =>
    p.budget_minutes === null ? null : minutesToHours(p.budget_minutes - (await load.plannedMinutes(ctx).load(p.id))),
};
