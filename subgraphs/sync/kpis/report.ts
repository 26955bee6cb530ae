import type { Kysely } from 'kysely';
import { money } from '../../../lib/money.ts';
import { invoiceCorrections, invoicedTimeByWeek, revenueLeakage } from '../../billing/api/reads.ts';
import { capacityByLegalEntity } from '../../psa/api/reads.ts';
import { billableMinutesByProject, timesheetApprovals } from '../../time/api/reads.ts';
import { projectActivations, reconciliationEffort } from '../data/kpis.ts';
import type { SyncDatabase } from '../data/tables.ts';
import type { ReadSystems } from '../reconciliation/systems.ts';
import {
  addDays,
  type Dimension,
  daysBetween,
  type FactKey,
  type Granularity,
  groupFacts,
  periodOf,
  shownPeriod,
  weightedMean,
  weightedQuantile,
} from './math.ts';

/** What every KPI is asked for: the range of days, the buckets, the breakdown and the filters. */
export type KpiOptions = {
  from: string;
  to: string;
  granularity: Granularity;
  groupBy: readonly Dimension[];
  legalEntityIds: readonly string[] | null;
  serviceLines: readonly string[] | null;
  staleAfterDays: number;
};

export type ProjectDims = { legalEntityId: string; serviceLine: string };

/** Where the KPIs read: the systems, and the legal entity and service line of projects (batched). */
export type KpiSources = {
  sys: ReadSystems;
  sync: Kysely<SyncDatabase>;
  dimsOf: (projectIds: readonly string[]) => Promise<Map<string, ProjectDims>>;
};

const UNIT = { DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;

const labels = (key: FactKey) => ({ period: shownPeriod(key), legalEntityId: key.legalEntityId, serviceLine: key.serviceLine });

/** Attaches each row's dimensions and drops rows outside the filters. */
async function withDims<R extends { project_id: string | null }>(
  src: KpiSources,
  o: KpiOptions,
  rows: readonly R[],
  periodOfRow: (r: R) => string,
): Promise<(R & FactKey)[]> {
  const dims = await src.dimsOf([...new Set(rows.map((r) => r.project_id).filter((id): id is string => id !== null))]);
  const out: (R & FactKey)[] = [];
  for (const r of rows) {
    const d = r.project_id ? dims.get(r.project_id) : undefined;
    const fact = {
      ...r,
      period: periodOf(periodOfRow(r), o.granularity),
      legalEntityId: d?.legalEntityId ?? null,
      serviceLine: d?.serviceLine ?? null,
    };
    if (o.legalEntityIds && !o.legalEntityIds.includes(fact.legalEntityId ?? '')) continue;
    if (o.serviceLines && !o.serviceLines.includes(fact.serviceLine ?? '')) continue;
    out.push(fact);
  }
  return out;
}

// Overloaded so a sum (never null) stays a number for the non-null fields it feeds.
function round(n: number, digits?: number): number;
function round(n: number | null, digits?: number): number | null;
function round(n: number | null, digits = 4): number | null {
  return n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;
}

/** Deal won to project active, in hours: one value per won deal whose activation succeeded. */
export async function dealWonToProjectActive(src: KpiSources, o: KpiOptions) {
  const facts = await withDims(src, o, await projectActivations(src.sync, o.from, o.to), (r) => r.day);
  return groupFacts(facts, o.groupBy, (key, fs) => {
    const values = fs.map((f) => ({ value: f.hours, weight: 1 }));
    return {
      ...labels(key),
      deals: fs.length,
      meanHours: round(weightedMean(values)),
      p50Hours: round(weightedQuantile(values, 0.5)),
      p95Hours: round(weightedQuantile(values, 0.95)),
    };
  });
}

/**
 * Approved time to invoice, in days, per invoiced hour: from the approval day of the time's timesheet
 * (time) to the issue day of the invoice that billed it (billing); bucketed by the issue day.
 */
export async function approvedTimeToInvoice(src: KpiSources, o: KpiOptions) {
  const invoiced = await invoicedTimeByWeek(src.sys.billing, o.from, o.to);
  if (invoiced.length === 0) return [];
  const weeks = invoiced.map((r) => r.week_start).sort();
  const approvals = await timesheetApprovals(src.sys.time, weeks[0]!, weeks[weeks.length - 1]!);
  const approvedOn = new Map(approvals.map((a) => [`${a.resource_id}|${a.week_start}`, a.approved_on]));
  const rows = invoiced.flatMap((r) => {
    const approved = approvedOn.get(`${r.resource_id}|${r.week_start}`);
    // Time invoiced without an approved timesheet cannot have a cycle; reconciliation reports it.
    return approved ? [{ ...r, days: daysBetween(approved, r.issue_date) }] : [];
  });
  const facts = await withDims(src, o, rows, (r) => r.issue_date);
  return groupFacts(facts, o.groupBy, (key, fs) => {
    const values = fs.map((f) => ({ value: f.days, weight: f.minutes }));
    return {
      ...labels(key),
      invoicedHours: fs.reduce((s, f) => s + f.minutes, 0) / 60,
      meanDays: round(weightedMean(values)),
      p50Days: weightedQuantile(values, 0.5),
      p95Days: weightedQuantile(values, 0.95),
    };
  });
}

/** Share of invoices corrected by a credit memo (and of those, re-billed), by the issue day. */
export async function invoiceCorrectionShare(src: KpiSources, o: KpiOptions) {
  const facts = await withDims(src, o, await invoiceCorrections(src.sys.billing, o.from, o.to, UNIT[o.granularity]), (r) => r.period);
  return groupFacts(facts, o.groupBy, (key, fs) => {
    const issued = fs.reduce((s, f) => s + f.issued, 0);
    const credited = fs.reduce((s, f) => s + f.credited, 0);
    return {
      ...labels(key),
      issued,
      credited,
      reissued: fs.reduce((s, f) => s + f.reissued, 0),
      correctedShare: issued === 0 ? null : round(credited / issued),
    };
  });
}

/** Billable value not invoiced (written off, or unbilled past the staleness limit), by work day and currency. */
export async function revenueLeakageByPeriod(src: KpiSources, o: KpiOptions) {
  const rows = await revenueLeakage(src.sys.billing, o.from, o.to, UNIT[o.granularity], o.to, o.staleAfterDays);
  const facts = await withDims(src, o, rows, (r) => r.period);
  return groupFacts(
    facts,
    o.groupBy,
    (key, fs) => {
      const currency = fs[0]!.currency;
      const writtenOff = fs.reduce((s, f) => s + BigInt(f.written_off_minor), 0n);
      const stale = fs.reduce((s, f) => s + BigInt(f.stale_minor), 0n);
      return {
        ...labels(key),
        currency,
        writtenOff: money(writtenOff, currency),
        staleUnbilled: money(stale, currency),
        total: money(writtenOff + stale, currency),
      };
    },
    (f) => f.currency,
  );
}

/** Operator effort on the sync: stops, actions, and hours stopped jobs waited for someone. */
export async function reconciliationEffortByPeriod(src: KpiSources, o: KpiOptions) {
  const rows = await reconciliationEffort(src.sync, o.from, o.to, UNIT[o.granularity]);
  const facts = await withDims(src, o, rows, (r) => r.period);
  return groupFacts(facts, o.groupBy, (key, fs) => ({
    ...labels(key),
    exceptions: fs.reduce((s, f) => s + f.exceptions, 0),
    operatorActions: fs.reduce((s, f) => s + f.operator_actions, 0),
    resolved: fs.reduce((s, f) => s + f.resolved, 0),
    waitingHours: round(fs.reduce((s, f) => s + f.waiting_hours, 0)),
  }));
}

/** Weekdays (Monday to Friday) from `from` to `to`, both included. */
export function weekdaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) n++;
  }
  return n;
}

/** Every bucket of the range with its first and last day, clipped to the range. */
export function bucketsOf(from: string, to: string, g: Granularity): { period: string; first: string; last: string }[] {
  const out: { period: string; first: string; last: string }[] = [];
  let start = periodOf(from, g);
  while (start <= to) {
    const next =
      g === 'DAY' ? addDays(start, 1) : g === 'WEEK' ? addDays(start, 7) : periodOf(addDays(`${start.slice(0, 7)}-28`, 7), 'MONTH');
    out.push({ period: start, first: start < from ? from : start, last: addDays(next, -1) > to ? to : addDays(next, -1) });
    start = next;
  }
  return out;
}

/**
 * Utilization: billable hours recorded (time, not rejected) over capacity (psa: the active resources'
 * weekly hours, per weekday of the bucket). Capacity belongs to a legal entity, not to a service line:
 * by service line, each line's hours are set against the capacity of its entities, so the lines of an
 * entity add up to the entity's utilization.
 */
export async function utilizationByPeriod(src: KpiSources, o: KpiOptions) {
  const [minutes, capacity] = await Promise.all([
    billableMinutesByProject(src.sys.time, o.from, o.to, UNIT[o.granularity]),
    capacityByLegalEntity(src.sys.psa),
  ]);
  const facts = await withDims(src, o, minutes, (r) => r.period);
  const buckets = bucketsOf(o.from, o.to, o.granularity);
  const entities = capacity.filter((c) => !o.legalEntityIds || o.legalEntityIds.includes(c.legal_entity_id));
  const capacityMinutes = (key: FactKey) => {
    let total = 0;
    for (const b of buckets) {
      if (key.period !== '' && b.period !== key.period) continue;
      const days = weekdaysBetween(b.first, b.last);
      for (const e of entities) {
        if (key.legalEntityId !== null && e.legal_entity_id !== key.legalEntityId) continue;
        total += (Number(e.minutes_per_week) * days) / 5;
      }
    }
    return total;
  };
  return groupFacts(facts, o.groupBy, (key, fs) => {
    const billable = fs.reduce((s, f) => s + Number(f.minutes), 0);
    const cap = capacityMinutes(key);
    return {
      ...labels(key),
      billableHours: billable / 60,
      capacityHours: cap / 60,
      utilization: cap === 0 ? null : round(billable / cap),
    };
  });
}
