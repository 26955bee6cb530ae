import type { JobStatRow } from '../data/stats.ts';
import type { SyncJobKind, SyncJobStatus } from '../data/tables.ts';

export type SyncJobStat = {
  kind: SyncJobKind;
  count: number;
  byStatus: { status: SyncJobStatus; count: number }[];
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  failed: number;
};

const FAILED: ReadonlySet<SyncJobStatus> = new Set(['RETRYING', 'EXCEPTION', 'DEAD_LETTERED']);

/** Folds the per (kind, status) rows into one stat per kind, in the rows' kind order. */
export function statsByKind(rows: readonly JobStatRow[]): SyncJobStat[] {
  const byKind = new Map<SyncJobKind, SyncJobStat>();
  for (const r of rows) {
    let stat = byKind.get(r.kind);
    if (!stat) {
      stat = {
        kind: r.kind,
        count: 0,
        byStatus: [],
        p50DurationMs: null,
        p95DurationMs: null,
        p50LatencyMs: null,
        p95LatencyMs: null,
        failed: 0,
      };
      byKind.set(r.kind, stat);
    }
    stat.count += r.count;
    stat.byStatus.push({ status: r.status, count: r.count });
    if (FAILED.has(r.status)) stat.failed += r.count;
    if (r.status === 'SUCCEEDED') {
      stat.p50DurationMs = r.p50_ms;
      stat.p95DurationMs = r.p95_ms;
      stat.p50LatencyMs = r.latency_p50_ms;
      stat.p95LatencyMs = r.latency_p95_ms;
    }
  }
  return [...byKind.values()];
}
