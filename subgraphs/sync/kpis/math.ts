/**
 * The arithmetic the KPI and SLO reports share: pure functions over grouped rows, so the numbers
 * are tested exactly without a database (test/unit/kpi-math.test.ts).
 */

export type Granularity = 'DAY' | 'WEEK' | 'MONTH';
export type Dimension = 'PERIOD' | 'LEGAL_ENTITY' | 'SERVICE_LINE';

/** Where a fact belongs: its calendar bucket and the project's legal entity and service line. */
export type FactKey = { period: string; legalEntityId: string | null; serviceLine: string | null };

/** The first day of the bucket a day falls in (UTC calendar; weeks start on Monday, as ISO weeks). */
export function periodOf(day: string, granularity: Granularity): string {
  if (granularity === 'DAY') return day;
  if (granularity === 'MONTH') return `${day.slice(0, 7)}-01`;
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The q-quantile of weighted values by nearest rank: the smallest value whose cumulative weight
 * reaches q of the total. Null for no weight. Nearest rank (not interpolation) so a KPI's median is
 * a value that occurred, and weights (hours) work without expanding rows.
 */
export function weightedQuantile(values: readonly { value: number; weight: number }[], q: number): number | null {
  const sorted = values.filter((v) => v.weight > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((s, v) => s + v.weight, 0);
  if (total === 0) return null;
  const target = q * total;
  let seen = 0;
  for (const v of sorted) {
    seen += v.weight;
    if (seen >= target - 1e-9) return v.value;
  }
  return sorted[sorted.length - 1]!.value;
}

/** Weighted mean, null for no weight. */
export function weightedMean(values: readonly { value: number; weight: number }[]): number | null {
  const total = values.reduce((s, v) => s + v.weight, 0);
  return total === 0 ? null : values.reduce((s, v) => s + v.value * v.weight, 0) / total;
}

/** The key of a fact kept to the dimensions asked for; the others become null. */
export function keyOf(f: FactKey, groupBy: readonly Dimension[]): FactKey {
  return {
    period: groupBy.includes('PERIOD') ? f.period : '',
    legalEntityId: groupBy.includes('LEGAL_ENTITY') ? f.legalEntityId : null,
    serviceLine: groupBy.includes('SERVICE_LINE') ? f.serviceLine : null,
  };
}

/**
 * Groups facts by the asked dimensions (and any extra key, such as a currency) and reduces each
 * group; groups come out sorted by period, legal entity, service line, extra key.
 */
export function groupFacts<F extends FactKey, R>(
  facts: readonly F[],
  groupBy: readonly Dimension[],
  reduce: (key: FactKey, facts: F[]) => R,
  extraKey: (f: F) => string = () => '',
): R[] {
  const groups = new Map<string, { key: FactKey; extra: string; facts: F[] }>();
  for (const f of facts) {
    const key = keyOf(f, groupBy);
    const extra = extraKey(f);
    const id = JSON.stringify([key.period, key.legalEntityId, key.serviceLine, extra]);
    const g = groups.get(id);
    if (g) g.facts.push(f);
    else groups.set(id, { key, extra, facts: [f] });
  }
  const cmp = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');
  return [...groups.values()]
    .sort(
      (a, b) =>
        cmp(a.key.period, b.key.period) ||
        cmp(a.key.legalEntityId, b.key.legalEntityId) ||
        cmp(a.key.serviceLine, b.key.serviceLine) ||
        cmp(a.extra, b.extra),
    )
    .map((g) => reduce(g.key, g.facts));
}

/** The period as the graph shows it: null when the points are not broken down by period. */
export function shownPeriod(key: FactKey): string | null {
  return key.period === '' ? null : key.period;
}

/**
 * Error-budget burn rate: the share of bad events divided by the share the objective allows. 1 spends
 * the budget exactly over the window; above 1 it runs out early. Null when nothing was judged.
 */
export function burnRate(good: number, bad: number, objective: number): number | null {
  const total = good + bad;
  if (total === 0) return null;
  // Rounded: 1 - 0.995 is not exactly 0.005 in binary, and a burn of 99.99999999999991 reads badly.
  return Math.round((bad / total / (1 - objective)) * 10_000) / 10_000;
}
