import { GraphQLError } from 'graphql';
import { today } from '../../../lib/clock.ts';
import { appError } from '../../../lib/errors.ts';
import { findProjectsToBill } from '../../billing/api/reads.ts';
import type { StartRequest, SyncControl } from '../api/index.ts';
import type { SyncContext } from '../context.ts';
import type { Job } from '../data/tables.ts';
import { readSystemsOf } from '../reconciliation/systems.ts';
import { requireSources } from './sources.ts';
import type * as gql from './types.generated.ts';

type Payload = { ok: boolean; job: Job | null; created: boolean; errors: { code: string; message: string }[] };

function control(ctx: SyncContext): SyncControl {
  if (!ctx.control) throw appError('INTERNAL_SERVER_ERROR', 'The sync engine is not configured in this process');
  return ctx.control;
}

/**
 * Sync actions answer with a payload: a refused action (unknown id, wrong status) is an expected
 * outcome an operator UI shows, not a transport error. Anything else still throws.
 */
async function outcome(run: () => Promise<{ job: Job; created?: boolean }>): Promise<Payload> {
  try {
    const { job, created } = await run();
    return { ok: true, job, created: created ?? false, errors: [] };
  } catch (err) {
    if (err instanceof GraphQLError && typeof err.extensions.code === 'string' && err.extensions.code !== 'INTERNAL_SERVER_ERROR') {
      return { ok: false, job: null, created: false, errors: [{ code: err.extensions.code, message: err.message }] };
    }
    throw err;
  }
}

const MAX_CYCLE_PROJECTS = 5000;

/**
 * One run per project and period end: asking twice for the same period (by hand or in a cycle) finds
 * the first run. Both dates are fixed here, when the run is asked for (the issue date defaults to
 * the business day of the request), so a retry or a replay issues the same invoices on the same date.
 */
const billingRun = (projectId: string, through: string, issueDate: string): StartRequest => ({
  kind: 'BILLING_RUN',
  sourceType: 'Project',
  sourceId: projectId,
  sourceKey: `${projectId}@${through}`,
  projectId,
  payload: { through, issueDate },
});

const start = (ctx: SyncContext, request: StartRequest) =>
  outcome(async () => {
    await requireSources(readSystemsOf(ctx.db), [request]);
    return control(ctx).start(request, ctx.actor);
  });

export const MutationResolvers: gql.MutationResolvers = {
  syncOpportunity: (_, a, ctx) => start(ctx, { kind: 'OPPORTUNITY_WON', sourceType: 'Opportunity', sourceId: a.id }),
  syncTimesheet: (_, a, ctx) => start(ctx, { kind: 'TIME_APPROVED', sourceType: 'Timesheet', sourceId: a.id }),
  postInvoice: (_, a, ctx) => start(ctx, { kind: 'INVOICE_ISSUED', sourceType: 'Invoice', sourceId: a.id, invoiceId: a.id }),
  runBilling: (_, a, ctx) => start(ctx, billingRun(a.projectId, a.through, a.issueDate ?? today(ctx.clock))),
  runBillingCycle: async (_, a, ctx) => {
    if (a.projectIds && a.projectIds.length > MAX_CYCLE_PROJECTS)
      throw appError('BAD_USER_INPUT', `At most ${MAX_CYCLE_PROJECTS} projects per cycle call; split the list`, {
        field: 'projectIds',
        max: MAX_CYCLE_PROJECTS,
      });
    const projects = await findProjectsToBill(readSystemsOf(ctx.db).billing, a.through, {
      legalEntityId: a.legalEntityId,
      projectIds: a.projectIds,
    });
    const started = projects.length
      ? await control(ctx).startMany(
          projects.map((p) => billingRun(p, a.through, a.issueDate ?? today(ctx.clock))),
          ctx.actor,
        )
      : [];
    return {
      through: a.through,
      projects: projects.length,
      created: started.filter((s) => s.created).length,
      jobs: started.map((s) => s.job),
    };
  },
  runPeriodEnd: (_, a, ctx) =>
    start(ctx, {
      kind: 'PERIOD_END',
      sourceType: 'Period',
      sourceId: `${a.legalEntityId}:${a.periodCode}`,
      payload: { legalEntityId: a.legalEntityId, periodCode: a.periodCode },
    }),
  retrySyncJob: (_, a, ctx) => outcome(async () => ({ job: await control(ctx).retry(a.id, ctx.actor) })),
  cancelSyncJob: (_, a, ctx) => outcome(async () => ({ job: await control(ctx).cancel(a.id, ctx.actor) })),
  resolveException: (_, a, ctx) => outcome(async () => ({ job: await control(ctx).resolveException(a.id, a.note, ctx.actor) })),
  replaySyncJob: async (_, a, ctx) => {
    if (!a.dryRun) {
      const p = await outcome(async () => ({ job: await control(ctx).replay(a.id, ctx.actor) }));
      return { ok: p.ok, job: p.job, preview: null, errors: p.errors };
    }
    const job = await ctx.db.selectFrom('sync.jobs').selectAll().where('id', '=', a.id).executeTakeFirst();
    if (!job) return { ok: false, job: null, preview: null, errors: [{ code: 'NOT_FOUND', message: `SyncJob ${a.id} does not exist` }] };
    const preview = await control(ctx).dryRun(a.id);
    return { ok: true, job, preview: { ...preview, detail: JSON.stringify(preview.detail) }, errors: [] };
  },
};
