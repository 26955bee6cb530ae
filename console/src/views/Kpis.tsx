import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { Chart, epoch, type Series } from '../components/Chart.tsx';
import { ErrorBox } from '../components/ErrorBox.tsx';
import { fmtMoney, fmtNum, fmtPct } from '../lib/format.ts';
import { KPIS } from '../lib/queries.ts';

const COLORS = ['#1f5fa8', '#c0392b', '#2e7d32', '#8e44ad', '#d35400', '#16a085'];

type Point = { period: string | null; legalEntityId: string | null; serviceLine: string | null } & Record<string, any>;

/** The periods of a series, and each field's values aligned to them (null where a period has no point). */
function align(points: Point[], periods: string[], value: (p: Point) => number | null): (number | null)[] {
  const by = new Map(points.map((p) => [p.period, p]));
  return periods.map((d) => {
    const p = by.get(d);
    return p ? value(p) : null;
  });
}

/** KPIs over time, filtered by legal entity and service line, and broken down by both. */
export function KpisView() {
  const [draft, setDraft] = useState({ from: '', to: '', granularity: 'MONTH', legalEntityId: '', serviceLine: '' });
  const [args, setArgs] = useState(draft);
  const filter = {
    ...(args.from ? { from: args.from } : {}),
    ...(args.to ? { to: args.to } : {}),
    ...(args.legalEntityId ? { legalEntityIds: [args.legalEntityId] } : {}),
    ...(args.serviceLine ? { serviceLines: [args.serviceLine] } : {}),
  };
  const [res] = useQuery({ query: KPIS, variables: { filter, granularity: args.granularity } });
  const series = res.data?.series;
  const breakdown = res.data?.breakdown;
  // The filter choices are what the data holds: the entities and service lines of the breakdown.
  const [choices] = useQuery({ query: KPIS, variables: { filter: {}, granularity: 'MONTH' } });
  const dims = choices.data?.breakdown?.utilization ?? [];
  const entities = [...new Set<string>(dims.map((p: Point) => p.legalEntityId).filter(Boolean))].sort();
  const lines = [...new Set<string>(dims.map((p: Point) => p.serviceLine).filter(Boolean))].sort();

  const periods: string[] = series
    ? [
        ...new Set<string>(
          [
            'dealWonToProjectActive',
            'approvedTimeToInvoice',
            'invoiceCorrections',
            'revenueLeakage',
            'reconciliationEffort',
            'utilization',
          ].flatMap((k) => series[k].map((p: Point) => p.period as string)),
        ),
      ].sort()
    : [];
  const x = periods.map(epoch);
  const currencies = series ? [...new Set<string>(series.revenueLeakage.map((p: Point) => p.currency))].sort() : [];
  const chart = (title: string, yLabel: string, list: Series[]) => (
    <Chart key={title} title={title} x={x} yLabel={yLabel} series={list} height={180} />
  );
  const rows: Point[] = breakdown ? breakdown.utilization : [];
  const find = (k: string, r: Point) =>
    breakdown?.[k].filter((p: Point) => p.legalEntityId === r.legalEntityId && p.serviceLine === r.serviceLine) ?? [];

  return (
    <div class="view kpis">
      <form
        class="filters"
        aria-label="KPI filters"
        onSubmit={(e) => {
          e.preventDefault();
          setArgs(draft);
        }}
      >
        <label>
          From
          <input type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
        </label>
        <label>
          To
          <input type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
        </label>
        <label>
          Buckets
          <select value={draft.granularity} onChange={(e) => setDraft({ ...draft, granularity: e.currentTarget.value })}>
            <option value="MONTH">Months</option>
            <option value="WEEK">Weeks</option>
          </select>
        </label>
        <label>
          Legal entity
          <select value={draft.legalEntityId} onChange={(e) => setDraft({ ...draft, legalEntityId: e.currentTarget.value })}>
            <option value="">All entities</option>
            {entities.map((le) => (
              <option key={le} value={le}>
                {le}
              </option>
            ))}
          </select>
        </label>
        <label>
          Service line
          <select value={draft.serviceLine} onChange={(e) => setDraft({ ...draft, serviceLine: e.currentTarget.value })}>
            <option value="">All service lines</option>
            {lines.map((sl) => (
              <option key={sl} value={sl}>
                {sl}
              </option>
            ))}
          </select>
        </label>
        <div class="filter-buttons">
          <button type="submit" class="primary">
            Apply
          </button>
        </div>
      </form>
      <ErrorBox error={res.error} />
      {res.fetching && !series ? <p class="loading">Computing KPIs...</p> : null}
      {series ? (
        <>
          <p class="note">
            {series.from} to {series.to}. How each KPI is computed: docs/kpis.md.
          </p>
          {periods.length === 0 ? <p class="empty">No activity in this range.</p> : null}
          <div class="charts">
            {chart('Deal won to project active (hours)', 'hours', [
              { label: 'p50', values: align(series.dealWonToProjectActive, periods, (p) => p.p50Hours), color: COLORS[0]! },
              { label: 'p95', values: align(series.dealWonToProjectActive, periods, (p) => p.p95Hours), color: COLORS[1]! },
            ])}
            {chart('Approved time to invoice (days)', 'days', [
              { label: 'mean', values: align(series.approvedTimeToInvoice, periods, (p) => p.meanDays), color: COLORS[0]! },
              { label: 'p95', values: align(series.approvedTimeToInvoice, periods, (p) => p.p95Days), color: COLORS[1]! },
            ])}
            {chart('Invoices credited or reissued (share)', 'share', [
              {
                label: 'corrected',
                values: align(series.invoiceCorrections, periods, (p) => p.correctedShare),
                color: COLORS[3]!,
                bars: true,
              },
            ])}
            {chart(
              'Revenue leakage (written off + stale unbilled)',
              'amount',
              currencies.map((c, i) => ({
                label: c,
                values: align(
                  series.revenueLeakage.filter((p: Point) => p.currency === c),
                  periods,
                  (p) => Number(p.total.amount),
                ),
                color: COLORS[i % COLORS.length]!,
                bars: true,
              })),
            )}
            {chart('Reconciliation effort', 'count / hours', [
              {
                label: 'exceptions',
                values: align(series.reconciliationEffort, periods, (p) => p.exceptions),
                color: COLORS[1]!,
                bars: true,
              },
              {
                label: 'operator actions',
                values: align(series.reconciliationEffort, periods, (p) => p.operatorActions),
                color: COLORS[0]!,
              },
              { label: 'waiting hours', values: align(series.reconciliationEffort, periods, (p) => p.waitingHours), color: COLORS[4]! },
            ])}
            {chart('Utilization (billable / capacity)', 'share', [
              { label: 'utilization', values: align(series.utilization, periods, (p) => p.utilization), color: COLORS[2]! },
            ])}
          </div>
          <section class="panel" aria-label="By legal entity and service line">
            <h3>By legal entity and service line</h3>
            {rows.length === 0 ? <p class="empty">Nothing to break down.</p> : null}
            {rows.length ? (
              <div class="table-scroll">
                <table class="breakdown">
                  <thead>
                    <tr>
                      <th>Entity</th>
                      <th>Service line</th>
                      <th>Won to active p50 (h)</th>
                      <th>Approved to invoice mean (d)</th>
                      <th>Invoices corrected</th>
                      <th>Leakage</th>
                      <th>Exceptions / actions</th>
                      <th>Utilization</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => {
                      const won = find('dealWonToProjectActive', r)[0];
                      const cycle = find('approvedTimeToInvoice', r)[0];
                      const corr = find('invoiceCorrections', r)[0];
                      const effort = find('reconciliationEffort', r)[0];
                      return (
                        <tr key={`${r.legalEntityId}|${r.serviceLine}`}>
                          <td>{r.legalEntityId}</td>
                          <td>{r.serviceLine}</td>
                          <td>{fmtNum(won?.p50Hours, 2)}</td>
                          <td>{fmtNum(cycle?.meanDays, 1)}</td>
                          <td>{corr ? `${corr.credited}/${corr.issued} (${fmtPct(corr.correctedShare)})` : '-'}</td>
                          <td>
                            {find('revenueLeakage', r)
                              .map((p: Point) => fmtMoney(p.total))
                              .join(', ') || '-'}
                          </td>
                          <td>{effort ? `${effort.exceptions} / ${effort.operatorActions}` : '0 / 0'}</td>
                          <td>{fmtPct(r.utilization)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            ) : null}
          </section>
        </>
      ) : null}
    </div>
  );
}
