import { type PageArgs, pageSize } from '../../../lib/pagination.ts';
import { load, type SyncContext } from '../context.ts';
import { type AuditRow, auditEntry, pageAuditLog } from '../data/audit.ts';
import { type EventFilter, eventHead, findEventsAfter, parseSequence } from '../data/events.ts';
import { pageJobs, type SyncJobFilter, type SyncJobOrder } from '../data/jobs.ts';
import { jobStats, type StatsFilter } from '../data/stats.ts';
import { kpisQuery, slosQuery } from './Kpis.ts';
import { reconciliationQuery } from './Reconciliation.ts';
import { statsByKind } from './SyncJobStat.ts';

export const QueryResolvers = {
  syncJobs: (_: unknown, args: PageArgs & { filter?: SyncJobFilter | null; orderBy?: SyncJobOrder | null }, ctx: SyncContext) =>
    pageJobs(ctx.db, args),
  syncJob: (_: unknown, args: { id: string }, ctx: SyncContext) => load.job(ctx).load(args.id),
  syncEvents: async (
    _: unknown,
    args: { afterSequence?: string | null; first?: number | null; filter?: EventFilter | null },
    ctx: SyncContext,
  ) => {
    const after = parseSequence(args.afterSequence);
    const limit = pageSize(args.first ?? 100);
    return limit === 0 ? [] : findEventsAfter(ctx.db, after, limit, args.filter ?? {});
  },
  syncEventHead: async (_: unknown, _args: unknown, ctx: SyncContext) => String(await eventHead(ctx.db)),
  auditLog: async (_: unknown, args: PageArgs & { actor?: string | null }, ctx: SyncContext) => {
    const page = await pageAuditLog(ctx.db as never, args);
    return { ...page, nodes: (page.nodes as AuditRow[]).map(auditEntry) };
  },
  syncEvent: async (_: unknown, args: { sequence: string }, ctx: SyncContext) => {
    const seq = parseSequence(args.sequence, 'sequence');
    // The job's customer travels with the event, so row rules can judge who may see it.
    const [event] = await findEventsAfter(ctx.db, seq - 1, 1);
    return event && event.sequence === seq ? event : null;
  },
  reconciliation: reconciliationQuery,
  kpis: kpisQuery,
  slos: slosQuery,
  syncJobStats: async (_: unknown, args: { filter?: StatsFilter | null }, ctx: SyncContext) =>
    statsByKind(await jobStats(ctx.db, args.filter ?? {})),
};
