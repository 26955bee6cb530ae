import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncSubgraph } from '../../subgraphs/sync/subgraph.ts';
import { testClock } from '../support/clock.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { SLO_UNTIL, writeKpiFixture } from '../support/kpi-fixture.ts';
import { codes, execute } from '../support/subgraph-client.ts';

// Every expected number below is worked out by hand from test/support/kpi-fixture.ts.
let t: TestDatabase;
let sync: ReturnType<typeof createSyncSubgraph>;

beforeAll(async () => {
  t = await createTestDatabase();
  await writeKpiFixture(t.db);
  sync = createSyncSubgraph(t.db, { clock: testClock() });
});
afterAll(async () => t?.drop());

const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };

async function kpis(selection: string, args: Record<string, unknown>) {
  const res = await execute(
    sync,
    `query($filter: KpiFilter, $granularity: KpiGranularity, $groupBy: [KpiDimension!]) {
      kpis(filter: $filter, granularity: $granularity, groupBy: $groupBy) { ${selection} } }`,
    args,
  );
  expect(res.errors).toBeUndefined();
  return res.data.kpis;
}

describe('KPIs from fixed data', () => {
  it('deal won to project active: hours from the win to the activated project, by month of the win', async () => {
    const k = await kpis('dealWonToProjectActive { period legalEntityId serviceLine deals meanHours p50Hours p95Hours }', {
      filter: OCTOBER,
    });
    // j1 took 2 h, j2 24 h (an exception resolved the next day); j3 is still in exception.
    expect(k.dealWonToProjectActive).toEqual([
      { period: '2026-10-01', legalEntityId: null, serviceLine: null, deals: 2, meanHours: 13, p50Hours: 2, p95Hours: 24 },
    ]);
  });

  it('approved time to invoice: days from the timesheet approval to the issue, weighted by hours, by legal entity', async () => {
    const k = await kpis('approvedTimeToInvoice { period legalEntityId invoicedHours meanDays p50Days p95Days }', {
      filter: OCTOBER,
      groupBy: ['LEGAL_ENTITY'],
    });
    // res_2's week approved 10-14, invoiced 10-23: 9 days for 8 h; res_1's approved 10-12, invoiced 10-20: 8 days for 12 h.
    expect(k.approvedTimeToInvoice).toEqual([
      { period: null, legalEntityId: 'LE-DE', invoicedHours: 8, meanDays: 9, p50Days: 9, p95Days: 9 },
      { period: null, legalEntityId: 'LE-US', invoicedHours: 12, meanDays: 8, p50Days: 8, p95Days: 8 },
    ]);
    const all = await kpis('approvedTimeToInvoice { invoicedHours meanDays p50Days p95Days }', { filter: OCTOBER, groupBy: [] });
    // (8 d x 12 h + 9 d x 8 h) / 20 h = 8.4; the median hour waited 8 days, the 95th percentile 9.
    expect(all.approvedTimeToInvoice).toEqual([{ invoicedHours: 20, meanDays: 8.4, p50Days: 8, p95Days: 9 }]);
  });

  it('invoice corrections: issued, credited and reissued invoices by month of issue; drafts do not count', async () => {
    const k = await kpis('invoiceCorrections { period issued credited reissued correctedShare }', { filter: OCTOBER });
    expect(k.invoiceCorrections).toEqual([{ period: '2026-10-01', issued: 3, credited: 2, reissued: 1, correctedShare: 0.6667 }]);
  });

  it('revenue leakage: written-off items and items unbilled past the staleness limit, per month of work and currency', async () => {
    const k = await kpis('revenueLeakage { period currency writtenOff { amount } staleUnbilled { amount } total { amount currency } }', {
      filter: { from: '2026-08-01', to: '2026-10-31' },
    });
    // b5 (August, EUR 200) is 61 days past its billing month on 10-31; b6 (October) is not stale yet.
    expect(k.revenueLeakage).toEqual([
      {
        period: '2026-08-01',
        currency: 'EUR',
        writtenOff: { amount: '0.00' },
        staleUnbilled: { amount: '200.00' },
        total: { amount: '200.00', currency: 'EUR' },
      },
      {
        period: '2026-10-01',
        currency: 'USD',
        writtenOff: { amount: '150.00' },
        staleUnbilled: { amount: '0.00' },
        total: { amount: '150.00', currency: 'USD' },
      },
    ]);
  });

  it('reconciliation effort: exceptions, operator actions and waiting hours, by legal entity and service line', async () => {
    const k = await kpis('reconciliationEffort { period legalEntityId serviceLine exceptions operatorActions resolved waitingHours }', {
      filter: OCTOBER,
      groupBy: ['PERIOD', 'LEGAL_ENTITY', 'SERVICE_LINE'],
    });
    expect(k.reconciliationEffort).toEqual([
      // j2 waited 23 h in exception until an operator resolved it.
      {
        period: '2026-10-01',
        legalEntityId: 'LE-DE',
        serviceLine: 'ENGINEERING',
        exceptions: 1,
        operatorActions: 1,
        resolved: 1,
        waitingHours: 23,
      },
      // j3 still waits: counted, but no hours until someone acts.
      {
        period: '2026-10-01',
        legalEntityId: 'LE-US',
        serviceLine: 'ADVISORY',
        exceptions: 1,
        operatorActions: 0,
        resolved: 0,
        waitingHours: 0,
      },
    ]);
  });

  it('utilization: billable hours over capacity per weekday, by legal entity; rejected and non-billable time left out', async () => {
    const k = await kpis('utilization { period legalEntityId billableHours capacityHours utilization }', {
      filter: OCTOBER,
      groupBy: ['PERIOD', 'LEGAL_ENTITY'],
    });
    // October 2026 has 22 weekdays: LE-DE 20 h/week -> 88 h, LE-US 40 h/week -> 176 h.
    expect(k.utilization).toEqual([
      { period: '2026-10-01', legalEntityId: 'LE-DE', billableHours: 8, capacityHours: 88, utilization: 0.0909 },
      { period: '2026-10-01', legalEntityId: 'LE-US', billableHours: 12, capacityHours: 176, utilization: 0.0682 },
    ]);
  });

  it('filters by legal entity and service line; weekly buckets start on Monday', async () => {
    const k = await kpis('from to granularity dealWonToProjectActive { period deals } utilization { period billableHours }', {
      filter: { ...OCTOBER, legalEntityIds: ['LE-DE'], serviceLines: ['ENGINEERING'] },
      granularity: 'WEEK',
    });
    expect(k.from).toBe('2026-10-01');
    expect(k.granularity).toBe('WEEK');
    expect(k.dealWonToProjectActive).toEqual([{ period: '2026-10-05', deals: 1 }]);
    expect(k.utilization).toEqual([{ period: '2026-10-05', billableHours: 8 }]);
  });

  it('defaults to the twelve months up to the business day, and refuses a range that ends before it starts', async () => {
    // The business clock says 2026-11-23, whatever day the suite runs.
    expect(await kpis('from to', {})).toEqual({ from: '2025-12-01', to: '2026-11-23' });
    const bad = await execute(sync, `{ kpis(filter: { from: "2026-10-31", to: "2026-10-01" }) { from } }`);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('SLOs from fixed data', () => {
  const SLO = `query($until: DateTime) { slos(until: $until) {
    until mappingVersion
    flows { kind target { latencyP50Seconds latencyP95Seconds objective }
      last24Hours { window jobs succeeded good bad pending p50LatencyMs p95LatencyMs attainment burnRate recovered recoveryP50Ms recoveryP95Ms }
      last7Days { window jobs succeeded good bad pending p50LatencyMs p95LatencyMs attainment burnRate recovered recoveryP50Ms recoveryP95Ms }
      burn24Hours { start good bad burnRate } burn7Days { start good bad burnRate } }
    postingAccuracy(days: 90) { from to posted corrected accuracy target } } }`;

  it('latency p50/p95 against the mapping target, good and bad jobs, burn rate and recovery, per window', async () => {
    const res = await execute(sync, SLO, { until: SLO_UNTIL });
    expect(res.errors).toBeUndefined();
    const invoice = res.data.slos.flows.find((f: { kind: string }) => f.kind === 'INVOICE_ISSUED');
    expect(invoice.target).toEqual({ latencyP50Seconds: 10, latencyP95Seconds: 60, objective: 0.995 });
    // 24 h: s1 (2 s, good), s2 (120 s, bad), s5 pending; s6 cancelled is left out.
    expect(invoice.last24Hours).toEqual({
      window: 'H24',
      jobs: 3,
      succeeded: 2,
      good: 1,
      bad: 1,
      pending: 1,
      p50LatencyMs: 61_000,
      p95LatencyMs: 114_100,
      attainment: 0.5,
      burnRate: 100,
      recovered: 0,
      recoveryP50Ms: null,
      recoveryP95Ms: null,
    });
    // 7 days adds s3 (4 s, good after a retry 3 s before its success) and s4 (exception, bad); s7 is older.
    expect(invoice.last7Days).toEqual({
      window: 'D7',
      jobs: 5,
      succeeded: 3,
      good: 2,
      bad: 2,
      pending: 1,
      p50LatencyMs: 4000,
      p95LatencyMs: 108_400,
      attainment: 0.5,
      burnRate: 100,
      recovered: 1,
      recoveryP50Ms: 3000,
      recoveryP95Ms: 3000,
    });
  });

  it('burn charts: 24 hourly and 28 six-hour buckets, oldest first, empty buckets included', async () => {
    const res = await execute(sync, SLO, { until: SLO_UNTIL });
    expect(res.errors).toBeUndefined();
    const invoice = res.data.slos.flows.find((f: { kind: string }) => f.kind === 'INVOICE_ISSUED');
    expect(invoice.burn24Hours).toHaveLength(24);
    expect(invoice.burn7Days).toHaveLength(28);
    expect(invoice.burn24Hours[0].start).toBe('2026-11-22T12:00:00.000Z');
    // s2 at 11-22 13:00 (bad: burn 1 / 0.005 = 200), s1 at 11-23 10:00 (good: 0).
    expect(invoice.burn24Hours[1]).toEqual({ start: '2026-11-22T13:00:00.000Z', good: 0, bad: 1, burnRate: 200 });
    expect(invoice.burn24Hours[22]).toEqual({ start: '2026-11-23T10:00:00.000Z', good: 1, bad: 0, burnRate: 0 });
    const judged = invoice.burn24Hours.filter((p: { burnRate: number | null }) => p.burnRate !== null);
    expect(judged).toHaveLength(2);
    // 7 days in 6-hour buckets, each [start, start + 6 h): s3 at 11-20 12:00 and s4 at 11-21 12:00 open
    // their buckets, s2 (11-22 13:00) and s1 (11-23 10:00) fall inside theirs.
    const nonEmpty = invoice.burn7Days.filter((p: { good: number; bad: number }) => p.good + p.bad > 0);
    expect(nonEmpty).toEqual([
      { start: '2026-11-20T12:00:00.000Z', good: 1, bad: 0, burnRate: 0 },
      { start: '2026-11-21T12:00:00.000Z', good: 0, bad: 1, burnRate: 200 },
      { start: '2026-11-22T12:00:00.000Z', good: 0, bad: 1, burnRate: 200 },
      { start: '2026-11-23T06:00:00.000Z', good: 1, bad: 0, burnRate: 0 },
    ]);
    const won = res.data.slos.flows.find((f: { kind: string }) => f.kind === 'OPPORTUNITY_WON');
    expect(won.last7Days).toMatchObject({ jobs: 0, attainment: null, burnRate: null });
  });

  it('posting accuracy: invoice postings reversed or credited since, against the mapping target', async () => {
    const res = await execute(sync, SLO, { until: SLO_UNTIL });
    expect(res.errors).toBeUndefined();
    // je_2 was reversed (and its invoice credited), inv_3 got a credit memo: 1 of 3 postings stood.
    expect(res.data.slos.postingAccuracy).toEqual({
      from: '2026-08-26',
      to: '2026-11-23',
      posted: 3,
      corrected: 2,
      accuracy: 0.3333,
      target: 0.98,
    });
    expect(res.data.slos.flows.map((f: { kind: string }) => f.kind)).toContain('PROJECT_COST');
  });
});

describe('KPIs and SLOs: who may read them, and what they cost', () => {
  it('analysts read them; portal users get FORBIDDEN', async () => {
    const q = `{ kpis { from } slos { until } }`;
    const analyst = await execute(sync, q, {}, { sub: 'a', role: 'analyst', customerId: null });
    expect(analyst.errors).toBeUndefined();
    const portal = await execute(sync, `{ kpis { from } }`, {}, { sub: 'p', role: 'portal', customerId: 'cus_prj_a' });
    expect(codes(portal)).toEqual(['FORBIDDEN']);
    const portalSlo = await execute(sync, `{ slos { until } }`, {}, { sub: 'p', role: 'portal', customerId: 'cus_prj_a' });
    expect(codes(portalSlo)).toEqual(['FORBIDDEN']);
  });

  it('costs the same number of SQL statements with twice the rows', async () => {
    const q = `query($until: DateTime) {
      kpis(filter: { from: "2026-08-01", to: "2026-10-31" }, groupBy: [PERIOD, LEGAL_ENTITY, SERVICE_LINE]) {
        dealWonToProjectActive { deals } approvedTimeToInvoice { invoicedHours } invoiceCorrections { issued }
        revenueLeakage { currency } reconciliationEffort { exceptions } utilization { billableHours } }
      slos(until: $until) { flows { kind last7Days { jobs } burn7Days { bad } } postingAccuracy { posted } } }`;
    const run = async () => {
      t.statements.length = 0;
      const res = await execute(sync, q, { until: SLO_UNTIL });
      expect(res.errors).toBeUndefined();
      return { count: t.statements.length, data: res.data };
    };
    const before = await run();
    await writeKpiFixture(t.db, '_x');
    const after = await run();
    expect(before.count).toBeGreaterThan(0);
    // The second copy of the firm doubles the facts...
    expect(after.data.kpis.invoiceCorrections[0].issued).toBe(2 * before.data.kpis.invoiceCorrections[0].issued);
    // ...and not the statements: each KPI is a fixed number of grouped reads, plus one psa read of dimensions.
    expect(after.count).toBe(before.count);
    expect(after.count).toBeLessThanOrEqual(18);
  });
});
