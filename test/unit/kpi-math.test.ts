import { describe, expect, it } from 'vitest';
import { burnRate, type FactKey, groupFacts, periodOf, weightedMean, weightedQuantile } from '../../subgraphs/sync/kpis/math.ts';
import { bucketsOf, weekdaysBetween } from '../../subgraphs/sync/kpis/report.ts';

describe('KPI arithmetic', () => {
  it('buckets a day into its day, ISO week (Monday) and month', () => {
    expect(periodOf('2026-11-29', 'DAY')).toBe('2026-11-29');
    expect(periodOf('2026-11-29', 'WEEK')).toBe('2026-11-23');
    expect(periodOf('2026-11-23', 'WEEK')).toBe('2026-11-23');
    expect(periodOf('2026-11-29', 'MONTH')).toBe('2026-11-01');
  });

  it('weighted quantiles by nearest rank return a value that occurred', () => {
    const v = [
      { value: 9, weight: 8 },
      { value: 8, weight: 12 },
    ];
    expect(weightedQuantile(v, 0.5)).toBe(8);
    expect(weightedQuantile(v, 0.6)).toBe(8);
    expect(weightedQuantile(v, 0.61)).toBe(9);
    expect(weightedQuantile(v, 0.95)).toBe(9);
    expect(weightedMean(v)).toBeCloseTo(8.4, 10);
    expect(weightedQuantile([], 0.5)).toBeNull();
    expect(weightedMean([])).toBeNull();
  });

  it('burn rate is the bad share over the allowed share, rounded; null when nothing was judged', () => {
    expect(burnRate(1, 1, 0.995)).toBe(100);
    expect(burnRate(99, 1, 0.99)).toBe(1);
    expect(burnRate(100, 0, 0.99)).toBe(0);
    expect(burnRate(0, 0, 0.99)).toBeNull();
  });

  it('groups facts by the asked dimensions only, sorted', () => {
    const facts = [
      { period: '2026-10-01', legalEntityId: 'LE-US', serviceLine: 'ADVISORY', n: 1 },
      { period: '2026-09-01', legalEntityId: 'LE-DE', serviceLine: 'ADVISORY', n: 2 },
      { period: '2026-10-01', legalEntityId: 'LE-DE', serviceLine: 'ENGINEERING', n: 4 },
    ];
    const sum = (key: FactKey, fs: { n: number }[]) => ({ ...key, n: fs.reduce((s, f) => s + f.n, 0) });
    expect(groupFacts(facts, ['LEGAL_ENTITY'], sum)).toEqual([
      { period: '', legalEntityId: 'LE-DE', serviceLine: null, n: 6 },
      { period: '', legalEntityId: 'LE-US', serviceLine: null, n: 1 },
    ]);
    expect(groupFacts(facts, ['PERIOD'], sum).map((g) => [g.period, g.n])).toEqual([
      ['2026-09-01', 2],
      ['2026-10-01', 5],
    ]);
  });

  it('capacity counts weekdays of each bucket, clipped to the range', () => {
    expect(weekdaysBetween('2026-10-01', '2026-10-31')).toBe(22);
    expect(bucketsOf('2026-10-15', '2026-12-02', 'MONTH')).toEqual([
      { period: '2026-10-01', first: '2026-10-15', last: '2026-10-31' },
      { period: '2026-11-01', first: '2026-11-01', last: '2026-11-30' },
      { period: '2026-12-01', first: '2026-12-01', last: '2026-12-02' },
    ]);
    expect(bucketsOf('2026-11-25', '2026-12-01', 'WEEK').map((b) => b.period)).toEqual(['2026-11-23', '2026-11-30']);
  });
});
