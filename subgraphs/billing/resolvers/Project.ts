import type { EntityRef } from '../../../lib/entity-ref.ts';
import { money } from '../../../lib/money.ts';
import { type BillingContext, load } from '../context.ts';
import type { ProjectAmountRow } from '../data/summaries.ts';
import type * as gql from './types.generated.ts';

/** One amount per project; should rows in two currencies exist, the rule's currency wins. */
async function amountOf(rows: ProjectAmountRow[], project: EntityRef, ctx: BillingContext) {
  if (rows.length === 0) return null;
  const rule = rows.length > 1 ? await load.rule(ctx).load(project.id) : undefined;
  const row = rows.find((r) => r.currency === rule?.currency) ?? rows[0];
  return money(row.amount_minor, row.currency);
}

export const ProjectResolvers: gql.ProjectResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  billingRule: async (p, _, ctx) => (await load.rule(ctx).load(p.id)) ?? null,
  milestones: (p, _, ctx) => load.milestonesOfProject(ctx).load(p.id),
  billableItems: (p, args, ctx) => load.itemsOfProject(ctx, args.status).load(p.id),
  invoices: (p, args, ctx) => load.invoicesOfProject(ctx, args.status).load(p.id),
  unbilledAmount: async (p, _, ctx) => amountOf(await load.unbilledOfProject(ctx).load(p.id), p, ctx),
  invoicedAmount: async (p, _, ctx) => amountOf(await load.invoicedOfProject(ctx).load(p.id), p, ctx),
};
