import * as api from '../api/index.ts';
import type { CrmContext } from '../context.ts';
import type { OpportunityStage } from '../data/tables.ts';

export const MutationResolvers = {
  createCustomer: (_: unknown, args: { input: api.CreateCustomerInput }, ctx: CrmContext) => api.createCustomer(ctx.db, args.input),
  updateCustomer: (_: unknown, args: { id: string; input: api.UpdateCustomerInput }, ctx: CrmContext) =>
    api.updateCustomer(ctx.db, args.id, args.input),
  addContact: (_: unknown, args: { input: api.AddContactInput }, ctx: CrmContext) => api.addContact(ctx.db, args.input),
  createOpportunity: (_: unknown, args: { input: api.CreateOpportunityInput }, ctx: CrmContext) =>
    api.createOpportunity(ctx.db, args.input),
  updateOpportunity: (_: unknown, args: { id: string; input: api.UpdateOpportunityInput }, ctx: CrmContext) =>
    api.updateOpportunity(ctx.db, args.id, args.input),
  changeOpportunityStage: (_: unknown, args: { id: string; stage: OpportunityStage; changedBy?: string | null }, ctx: CrmContext) =>
    api.changeOpportunityStage(ctx.db, args.id, args.stage, args.changedBy ?? null, ctx.clock.now(), async (trx, opp) => {
      if (opp.stage === 'CLOSED_WON')
        await ctx.triggers.fire(trx, { type: 'OPPORTUNITY_WON', opportunityId: opp.id, customerId: opp.customer_id }, args.changedBy);
    }),
};
