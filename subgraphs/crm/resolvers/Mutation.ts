import * as api from '../api/index.ts';
import type * as gql from './types.generated.ts';

export const MutationResolvers: gql.MutationResolvers = {
  createCustomer: (_, args, ctx) => api.createCustomer(ctx.db, args.input),
  updateCustomer: (_, args, ctx) => api.updateCustomer(ctx.db, args.id, args.input),
  addContact: (_, args, ctx) => api.addContact(ctx.db, args.input),
  createOpportunity: (_, args, ctx) => api.createOpportunity(ctx.db, args.input),
  updateOpportunity: (_, args, ctx) => api.updateOpportunity(ctx.db, args.id, args.input),
  changeOpportunityStage: (_, args, ctx) =>
    api.changeOpportunityStage(ctx.db, args.id, args.stage, args.changedBy ?? null, ctx.clock.now(), async (trx, opp) => {
      if (opp.stage === 'CLOSED_WON')
        await ctx.triggers.fire(trx, { type: 'OPPORTUNITY_WON', opportunityId: opp.id, customerId: opp.customer_id }, args.changedBy);
    }),
};
