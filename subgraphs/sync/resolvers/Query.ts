import { pageSize } from '../../../lib/pagination.ts';
import { load } from '../context.ts';
import { auditEntry, pageAuditLog } from '../data/audit.ts';
import { eventHead, findEventsAfter, parseSequence } from '../data/events.ts';
import { pageJobs } from '../data/jobs.ts';
import { jobStats } from '../data/stats.ts';
import { kpisQuery, slosQuery } from './Kpis.ts';
import { reconciliationQuery } from './Reconciliation.ts';
import { statsByKind } from './SyncJobStat.ts';
import type * as gql from './types.generated.ts';

export const QueryResolvers: gql.QueryResolvers = {
  syncJobs: (_, args, ctx) => pageJobs(ctx.db, args),
  syncJob: (_, args, ctx) => load.job(ctx).load(args.id),
  syncEvents: async (_, args, ctx) => {
    const after = parseSequence(args.afterSequence);
    const limit = pageSize(args.first ?? 100);
    return limit === 0 ? [] : findEventsAfter(ctx.db, after, limit, args.filter ?? {});
  },
  syncEventHead: async (_, _args, ctx) => String(await eventHead(ctx.db)),
  auditLog: async (_, args, ctx) => {
    const page = await pageAuditLog(ctx.db, args);
    return { ...page, nodes: page.nodes.map(auditEntry) };
  },
  syncEvent: async (_, args, ctx) => {
    const seq = parseSequence(args.sequence, 'sequence');
    // The job's customer travels with the event, so row rules can judge who may see it.
    const [event] = await findEventsAfter(ctx.db, seq - 1, 1);
    return event && event.sequence === seq ? event : null;
  },
  reconciliation: reconciliationQuery,
  kpis: kpisQuery,
  slos: slosQuery,
  syncJobStats: async (_, args, ctx) => statsByKind(await jobStats(ctx.db, args.filter ?? {})),
};
