import { minutesToHours } from '../../../lib/hours.ts';
import { money } from '../../../lib/money.ts';
import { load, type PsaContext } from '../context.ts';
import type { Project } from '../data/tables.ts';

export const ProjectResolvers = {
  __resolveReference: (ref: { id: string }, ctx: PsaContext) => load.project(ctx).load(ref.id),
  customer: (p: Project) => ({ id: p.customer_id }),
  opportunity: (p: Project) => (p.opportunity_id ? { id: p.opportunity_id } : null),
  legalEntity: (p: Project) => ({ id: p.legal_entity_id }),
  startDate: (p: Project) => p.start_date,
  endDate: (p: Project) => p.end_date,
  serviceLine: (p: Project) => p.service_line,
  // The budget's fields resolve from the project row; only plannedHours costs a (batched) query.
  budget: (p: Project) => p,
  contract: (p: Project, _: unknown, ctx: PsaContext) => load.contract(ctx).load(p.id),
  rateCard: (p: Project, _: unknown, ctx: PsaContext) => (p.rate_card_id ? load.rateCard(ctx).load(p.rate_card_id) : null),
  rateOverrides: (p: Project, _: unknown, ctx: PsaContext) => load.overridesOfProject(ctx).load(p.id),
  tasks: (p: Project, _: unknown, ctx: PsaContext) => load.tasks(ctx).load(p.id),
  assignments: (p: Project, _: unknown, ctx: PsaContext) => load.assignmentsOfProject(ctx).load(p.id),
  createdAt: (p: Project) => p.created_at,
  updatedAt: (p: Project) => p.updated_at,
};

export const ProjectBudgetResolvers = {
  hours: (p: Project) => (p.budget_minutes === null ? null : minutesToHours(p.budget_minutes)),
  fee: (p: Project) => (p.budget_fee_minor === null ? null : money(p.budget_fee_minor, p.currency)),
  plannedHours: async (p: Project, _: unknown, ctx: PsaContext) => minutesToHours(await load.plannedMinutes(ctx).load(p.id)),
  remainingHours: async (p: Project, _: unknown, ctx: PsaContext) =>
    p.budget_minutes === null ? null : minutesToHours(p.budget_minutes - (await load.plannedMinutes(ctx).load(p.id))),
};
