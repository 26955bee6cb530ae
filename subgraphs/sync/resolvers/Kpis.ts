import { today } from '../../../lib/clock.ts';
import { badInput } from '../../../lib/errors.ts';
import { load, type SyncContext } from '../context.ts';
import { type Dimension, daysBetween } from '../kpis/math.ts';
import {
  approvedTimeToInvoice,
  dealWonToProjectActive,
  invoiceCorrectionShare,
  type KpiOptions,
  type KpiSources,
  type ProjectDims,
  reconciliationEffortByPeriod,
  revenueLeakageByPeriod,
  utilizationByPeriod,
} from '../kpis/report.ts';
import { postingAccuracy, sloReport } from '../kpis/slo.ts';
import { readSystemsOf } from '../reconciliation/systems.ts';
import type * as gql from './types.generated.ts';

type KpiArgs = gql.QueryKpisArgs;

/** Five years of days at most: a daily series over decades is a mistake, not a question. */
const MAX_RANGE_DAYS = 1830;

/** The first day of the month `n` months before the month of `day`. */
function monthsBefore(day: string, n: number): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 10);
}

/** Defaults come from the business clock: `to` is today, `from` the first day of the month eleven months before. */
export function kpiOptions(args: KpiArgs, ctx: SyncContext): KpiOptions {
  const f = args.filter ?? {};
  const to = f.to ?? today(ctx.clock);
  const from = f.from ?? monthsBefore(to, 11);
  if (from > to) throw badInput('filter.from must not be after filter.to', 'filter.from');
  if (daysBetween(from, to) > MAX_RANGE_DAYS) throw badInput(`At most ${MAX_RANGE_DAYS} days per report`, 'filter.from');
  const stale = f.staleAfterDays ?? 45;
  if (!Number.isInteger(stale) || stale < 0 || stale > 3650)
    throw badInput('staleAfterDays must be between 0 and 3650', 'filter.staleAfterDays');
  return {
    from,
    to,
    granularity: args.granularity ?? 'MONTH',
    groupBy: [...new Set<Dimension>(args.groupBy ?? ['PERIOD'])],
    legalEntityIds: f.legalEntityIds?.length ? f.legalEntityIds : null,
    serviceLines: f.serviceLines?.length ? f.serviceLines : null,
    staleAfterDays: stale,
  };
}

function sources(ctx: SyncContext): KpiSources {
  return {
    sys: readSystemsOf(ctx.db),
    sync: ctx.db,
    dimsOf: async (ids) => {
      const rows = await load.projectDims(ctx).loadMany(ids);
      const out = new Map<string, ProjectDims>();
      for (const r of rows) {
        if (r && !(r instanceof Error)) out.set(r.id, { legalEntityId: r.legal_entity_id, serviceLine: r.service_line });
      }
      return out;
    },
  };
}

export const kpisQuery: gql.QueryResolvers['kpis'] = (_, args, ctx) => kpiOptions(args, ctx);

export const KpiReportResolvers: gql.KpiReportResolvers = {
  dealWonToProjectActive: (o, _, ctx) => dealWonToProjectActive(sources(ctx), o),
  approvedTimeToInvoice: (o, _, ctx) => approvedTimeToInvoice(sources(ctx), o),
  invoiceCorrections: (o, _, ctx) => invoiceCorrectionShare(sources(ctx), o),
  revenueLeakage: (o, _, ctx) => revenueLeakageByPeriod(sources(ctx), o),
  reconciliationEffort: (o, _, ctx) => reconciliationEffortByPeriod(sources(ctx), o),
  utilization: (o, _, ctx) => utilizationByPeriod(sources(ctx), o),
};

/** `until` defaults to now on the business clock (lib/clock.ts). */
export const slosQuery: gql.QueryResolvers['slos'] = (_, args, ctx) => sloReport(ctx.db, ctx.mapping, args.until ?? ctx.clock.now());

export const SloReportResolvers: gql.SloReportResolvers = {
  postingAccuracy: (r, args, ctx) => {
    const days = args.days ?? 90;
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw badInput('days must be between 1 and 3650', 'days');
    return postingAccuracy(readSystemsOf(ctx.db), ctx.mapping, r.until, days);
  },
};
