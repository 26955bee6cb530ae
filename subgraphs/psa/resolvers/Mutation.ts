import { inTransaction } from '../../../lib/db.ts';
import * as api from '../api/index.ts';
import type * as gql from './types.generated.ts';

export const MutationResolvers: gql.MutationResolvers = {
  upsertCustomerRef: (_, args, ctx) => api.upsertCustomerRef(ctx.db, args.input),
  createRateCard: (_, args, ctx) => api.createRateCard(ctx.db, args.input),
  // A new rate reprices unbilled time (a sync job), enqueued in the same transaction as the rate.
  addRateCardRate: (_, args, ctx) =>
    inTransaction(ctx.db, async (trx) => {
      const rate = await api.addRateCardRate(trx, args.input);
      await ctx.triggers.fire(trx, { type: 'RATES_CHANGED', changeId: rate.id, rateCardId: rate.rate_card_id });
      return rate;
    }),
  createRateOverride: (_, args, ctx) =>
    inTransaction(ctx.db, async (trx) => {
      const o = await api.createRateOverride(trx, args.input);
      await ctx.triggers.fire(trx, { type: 'RATES_CHANGED', changeId: o.id, projectId: o.project_id, customerId: o.customer_id });
      return o;
    }),
  createResource: (_, args, ctx) => api.createResource(ctx.db, args.input),
  updateResource: (_, args, ctx) => api.updateResource(ctx.db, args.id, args.input),
  createProject: (_, args, ctx) => api.createProject(ctx.db, args.input),
  updateProject: (_, args, ctx) => api.updateProject(ctx.db, args.id, args.input),
  activateProject: (_, args, ctx) => api.activateProject(ctx.db, args.id),
  closeProject: (_, args, ctx) => api.closeProject(ctx.db, args.id),
  createContract: (_, args, ctx) => api.createContract(ctx.db, args.input),
  addTask: (_, args, ctx) => api.addTask(ctx.db, args.input),
  assignResource: (_, args, ctx) => api.assignResource(ctx.db, args.input),
};
