import { inTransaction } from '../../../lib/db.ts';
import * as api from '../api/index.ts';
import type { PsaContext } from '../context.ts';

type Input<T> = { input: T };

export const MutationResolvers = {
  upsertCustomerRef: (_: unknown, args: Input<api.UpsertCustomerRefInput>, ctx: PsaContext) => api.upsertCustomerRef(ctx.db, args.input),
  createRateCard: (_: unknown, args: Input<api.CreateRateCardInput>, ctx: PsaContext) => api.createRateCard(ctx.db, args.input),
  // A new rate reprices unbilled time (a sync job), enqueued in the same transaction as the rate.
  addRateCardRate: (_: unknown, args: Input<api.AddRateCardRateInput>, ctx: PsaContext) =>
    inTransaction(ctx.db, async (trx) => {
      const rate = await api.addRateCardRate(trx, args.input);
      await ctx.triggers.fire(trx, { type: 'RATES_CHANGED', changeId: rate.id, rateCardId: rate.rate_card_id });
      return rate;
    }),
  createRateOverride: (_: unknown, args: Input<api.CreateRateOverrideInput>, ctx: PsaContext) =>
    inTransaction(ctx.db, async (trx) => {
      const o = await api.createRateOverride(trx, args.input);
      await ctx.triggers.fire(trx, { type: 'RATES_CHANGED', changeId: o.id, projectId: o.project_id, customerId: o.customer_id });
      return o;
    }),
  createResource: (_: unknown, args: Input<api.CreateResourceInput>, ctx: PsaContext) => api.createResource(ctx.db, args.input),
  updateResource: (_: unknown, args: { id: string } & Input<api.UpdateResourceInput>, ctx: PsaContext) =>
    api.updateResource(ctx.db, args.id, args.input),
  createProject: (_: unknown, args: Input<api.CreateProjectInput>, ctx: PsaContext) => api.createProject(ctx.db, args.input),
  updateProject: (_: unknown, args: { id: string } & Input<api.UpdateProjectInput>, ctx: PsaContext) =>
    api.updateProject(ctx.db, args.id, args.input),
  activateProject: (_: unknown, args: { id: string }, ctx: PsaContext) => api.activateProject(ctx.db, args.id),
  closeProject: (_: unknown, args: { id: string }, ctx: PsaContext) => api.closeProject(ctx.db, args.id),
  createContract: (_: unknown, args: Input<api.CreateContractInput>, ctx: PsaContext) => api.createContract(ctx.db, args.input),
  addTask: (_: unknown, args: Input<api.AddTaskInput>, ctx: PsaContext) => api.addTask(ctx.db, args.input),
  assignResource: (_: unknown, args: Input<api.AssignResourceInput>, ctx: PsaContext) => api.assignResource(ctx.db, args.input),
};
