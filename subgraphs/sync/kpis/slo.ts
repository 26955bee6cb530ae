import type { Kysely } from 'kysely';
import { flowSlo, type Mapping } from '../../../lib/mapping.ts';
import { correctedInvoiceIds } from '../../billing/api/reads.ts';
import { invoicePostingAccuracy } from '../../erp/api/reads.ts';
import { type BurnBucketRow, burnBuckets, type FlowWindowRow, flowWindows, type LatencyTarget, type SloWindow } from '../data/slo.ts';
import { SYNC_JOB_KINDS, type SyncDatabase, type SyncJobKind } from '../data/tables.ts';
import type { ReadSystems } from '../reconciliation/systems.ts';
import { addDays, burnRate } from './math.ts';

const HOUR = 3_600_000;

/** Burn charts: the 24 hours in hourly buckets, the 7 days in 6-hour buckets; oldest first. */
const CHARTS: Record<SloWindow, { buckets: number; hours: number }> = { H24: { buckets: 24, hours: 1 }, D7: { buckets: 28, hours: 6 } };

export function latencyTargets(mapping: Mapping): LatencyTarget[] {
  return SYNC_JOB_KINDS.map((kind) => ({ kind, p95_ms: flowSlo(mapping, kind).latencyP95Seconds * 1000 }));
}

/** One window's figures of one flow, with the burn of its error budget. */
function windowOf(row: FlowWindowRow | undefined, window: SloWindow, objective: number) {
  const good = row?.good ?? 0;
  const bad = row?.bad ?? 0;
  return {
    window,
    jobs: row?.jobs ?? 0,
    succeeded: row?.succeeded ?? 0,
    good,
    bad,
    pending: row?.pending ?? 0,
    p50LatencyMs: row?.p50_ms ?? null,
    p95LatencyMs: row?.p95_ms ?? null,
    // The share of judged jobs that met the target; null when none was judged.
    attainment: good + bad === 0 ? null : Math.round((good / (good + bad)) * 10_000) / 10_000,
    burnRate: burnRate(good, bad, objective),
    recovered: row?.recovered ?? 0,
    recoveryP50Ms: row?.recovery_p50_ms ?? null,
    recoveryP95Ms: row?.recovery_p95_ms ?? null,
  };
}

/** A burn chart of one flow: every bucket of the window, empty ones included, oldest first. */
export function burnSeries(rows: readonly BurnBucketRow[], window: SloWindow, until: Date, objective: number) {
  const { buckets, hours } = CHARTS[window];
  const good = new Array<number>(buckets).fill(0);
  const bad = new Array<number>(buckets).fill(0);
  for (const r of rows) {
    const i = Math.floor(r.hours_ago / hours);
    if (i >= buckets) continue;
    good[i]! += r.good;
    bad[i]! += r.bad;
  }
  return Array.from({ length: buckets }, (_, k) => {
    const i = buckets - 1 - k;
    return {
      start: new Date(until.getTime() - (i + 1) * hours * HOUR),
      good: good[i]!,
      bad: bad[i]!,
      burnRate: burnRate(good[i]!, bad[i]!, objective),
    };
  });
}

/**
 * The SLO report: per flow, its targets and both windows; the burn charts; posting accuracy of the
 * last `postingDays` days. Four statements whatever the number of jobs.
 */
export async function sloReport(sync: Kysely<SyncDatabase>, mapping: Mapping, until: Date) {
  const targets = latencyTargets(mapping);
  const [windows, buckets] = await Promise.all([flowWindows(sync, until, targets), burnBuckets(sync, until, targets)]);
  const flows = SYNC_JOB_KINDS.map((kind: SyncJobKind) => {
    const slo = flowSlo(mapping, kind);
    const rows = buckets.filter((b) => b.kind === kind);
    const w = (win: SloWindow) =>
      windowOf(
        windows.find((r) => r.kind === kind && r.window === win),
        win,
        slo.objective,
      );
    return {
      kind,
      target: slo,
      last24Hours: w('H24'),
      last7Days: w('D7'),
      burn24Hours: burnSeries(rows, 'H24', until, slo.objective),
      burn7Days: burnSeries(rows, 'D7', until, slo.objective),
    };
  });
  return { until, mappingVersion: mapping.version, flows };
}

/** Posting accuracy over the `days` days up to `until`'s day: invoice postings never corrected since. */
export async function postingAccuracy(sys: ReadSystems, mapping: Mapping, until: Date, days: number) {
  const to = until.toISOString().slice(0, 10);
  const from = addDays(to, -(days - 1));
  const corrected = await correctedInvoiceIds(sys.billing);
  const r = await invoicePostingAccuracy(sys.erp, from, to, corrected);
  return {
    from,
    to,
    posted: r.posted,
    corrected: r.corrected,
    accuracy: r.posted === 0 ? null : Math.round(((r.posted - r.corrected) / r.posted) * 10_000) / 10_000,
    target: mapping.slo.postingAccuracy,
  };
}
