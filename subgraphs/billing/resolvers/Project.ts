import { money } from '../../../lib/money.ts';
import { type BillingContext, load } from '../context.ts';
import type { ProjectAmountRow } from '../data/summaries.ts';
import type { BillableItemStatus, InvoiceStatus } from '../data/tables.ts';

type ProjectRef = { id: string };

/** One amount per project; should rows in two currencies exist, the rule's currency wins. */
async function amountOf(rows: ProjectAmountRow[], project: ProjectRef, ctx: BillingContext) {
  if (rows.length === 0) return null;
  const rule = rows.length > 1 ? await load.rule(ctx).load(project.id) : undefined;
  const row = rows.find((r) => r.currency === rule?.currency) ?? rows[0];
  return money(row.amount_minor, row.currency);
}

export const ProjectResolvers = {
  __resolveReference: (ref: ProjectRef) => ({ id: ref.id }),
  billingRule: async (p: ProjectRef, _: unknown, ctx: BillingContext) => (await load.rule(ctx).load(p.id)) ?? null,
  milestones: (p: ProjectRef, _: unknown, ctx: BillingContext) => load.milestonesOfProject(ctx).load(p.id),
  billableItems: (p: ProjectRef, args: { status?: BillableItemStatus | null }, ctx: BillingContext) =>
    load.itemsOfProject(ctx, args.status).load(p.id),
  invoices: (p: ProjectRef, args: { status?: InvoiceStatus | null }, ctx: BillingContext) =>
    load.invoicesOfProject(ctx, args.status).load(p.id),
  unbilledAmount: async (p: ProjectRef, _: unknown, ctx: BillingContext) => amountOf(await load.unbilledOfProject(ctx).load(p.id), p, ctx),
  invoicedAmount: async (p: ProjectRef, _: unknown, ctx: BillingContext) => amountOf(await load.invoicedOfProject(ctx).load(p.id), p, ctx),
};
