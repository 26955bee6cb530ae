import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { Chart, epoch } from '../components/Chart.tsx';
import { ErrorBox } from '../components/ErrorBox.tsx';
import { fmtMs, fmtNum, fmtPct, fmtTime } from '../lib/format.ts';
import { SLOS } from '../lib/queries.ts';

type Win = {
  jobs: number;
  good: number;
  bad: number;
  pending: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  attainment: number | null;
  burnRate: number | null;
  recovered: number;
  recoveryP50Ms: number | null;
  recoveryP95Ms: number | null;
};
type Burn = { start: string; good: number; bad: number; burnRate: number | null };
type Flow = {
  kind: string;
  target: { latencyP50Seconds: number; latencyP95Seconds: number; objective: number };
  last24Hours: Win;
  last7Days: Win;
  burn24Hours: Burn[];
  burn7Days: Burn[];
};

/** A latency against its target: within it, or over it (colour and words, not colour alone). */
function Latency({ ms, targetS }: { ms: number | null; targetS: number }) {
  if (ms === null) return <span class="muted">-</span>;
  const over = ms > targetS * 1000;
  return (
    <span class={over ? 'over' : 'within'}>
      {fmtMs(ms)}
      {over ? ' (over)' : ''}
    </span>
  );
}

/** SLOs per flow: latency p50/p95 against the mapping file's targets, error-budget burn charts, posting accuracy. */
export function SlosView() {
  const [res] = useQuery({ query: SLOS });
  const [flow, setFlow] = useState<string | null>(null);
  const report = res.data?.slos;
  const flows: Flow[] = report?.flows ?? [];
  const busiest = [...flows].sort((a, b) => b.last7Days.jobs - a.last7Days.jobs)[0];
  const chosen = flows.find((f) => f.kind === (flow ?? busiest?.kind));
  const acc = report?.postingAccuracy;
  return (
    <div class="view slos">
      <ErrorBox error={res.error} />
      {res.fetching && !report ? <p class="loading">Computing SLOs...</p> : null}
      {report ? (
        <>
          <p class="note">
            Windows end {fmtTime(report.until)} UTC; targets from mapping version {report.mappingVersion}. A job is good when done within
            its p95 target; burn rate 1 spends exactly the error budget.
          </p>
          <div class="table-scroll">
            <table class="slo-table">
              <thead>
                <tr>
                  <th rowspan={2}>Flow</th>
                  <th colspan={2}>Target</th>
                  <th colspan={4}>Last 24 hours</th>
                  <th colspan={5}>Last 7 days</th>
                </tr>
                <tr>
                  <th>p50</th>
                  <th>p95</th>
                  <th>Jobs</th>
                  <th>p50</th>
                  <th>p95</th>
                  <th>Burn</th>
                  <th>Jobs</th>
                  <th>p50</th>
                  <th>p95</th>
                  <th>Met</th>
                  <th>Burn</th>
                </tr>
              </thead>
              <tbody>
                {flows.map((f) => (
                  <tr key={f.kind} data-flow={f.kind}>
                    <td>
                      <button type="button" class="link" onClick={() => setFlow(f.kind)} aria-pressed={chosen?.kind === f.kind}>
                        {f.kind}
                      </button>
                    </td>
                    <td>{f.target.latencyP50Seconds} s</td>
                    <td>{f.target.latencyP95Seconds} s</td>
                    <td>{f.last24Hours.jobs}</td>
                    <td>
                      <Latency ms={f.last24Hours.p50LatencyMs} targetS={f.target.latencyP50Seconds} />
                    </td>
                    <td>
                      <Latency ms={f.last24Hours.p95LatencyMs} targetS={f.target.latencyP95Seconds} />
                    </td>
                    <td>{fmtNum(f.last24Hours.burnRate, 2)}</td>
                    <td>{f.last7Days.jobs}</td>
                    <td>
                      <Latency ms={f.last7Days.p50LatencyMs} targetS={f.target.latencyP50Seconds} />
                    </td>
                    <td>
                      <Latency ms={f.last7Days.p95LatencyMs} targetS={f.target.latencyP95Seconds} />
                    </td>
                    <td>
                      {fmtPct(f.last7Days.attainment)} / {fmtPct(f.target.objective, 1)}
                    </td>
                    <td>{fmtNum(f.last7Days.burnRate, 2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {chosen ? (
            <section class="panel" aria-label={`Error budget of ${chosen.kind}`}>
              <h3>Error budget: {chosen.kind}</h3>
              <p class="note">
                Recovery of failed jobs (7 days): {chosen.last7Days.recovered} recovered, p50 {fmtMs(chosen.last7Days.recoveryP50Ms)}, p95{' '}
                {fmtMs(chosen.last7Days.recoveryP95Ms)}.
              </p>
              <div class="charts">
                {(['burn24Hours', 'burn7Days'] as const).map((k) => (
                  <Chart
                    key={k}
                    title={k === 'burn24Hours' ? 'Burn rate, last 24 hours (hourly)' : 'Burn rate, last 7 days (6-hour buckets)'}
                    x={chosen[k].map((p) => epoch(p.start))}
                    yLabel="burn rate"
                    series={[
                      { label: 'burn rate', values: chosen[k].map((p) => p.burnRate), color: '#c0392b', bars: true },
                      { label: 'budget pace (1)', values: chosen[k].map(() => 1), color: '#555555', dash: true },
                    ]}
                  />
                ))}
                <Chart
                  title="Jobs judged, last 7 days (good and bad)"
                  x={chosen.burn7Days.map((p) => epoch(p.start))}
                  yLabel="jobs"
                  series={[
                    { label: 'good', values: chosen.burn7Days.map((p) => p.good), color: '#2e7d32', bars: true },
                    { label: 'bad', values: chosen.burn7Days.map((p) => p.bad), color: '#c0392b', bars: true },
                  ]}
                />
              </div>
            </section>
          ) : null}
          {acc ? (
            <section class="panel accuracy" aria-label="Posting accuracy">
              <h3>Posting accuracy</h3>
              <p class={acc.accuracy !== null && acc.accuracy < acc.target ? 'big over' : 'big within'}>
                {fmtPct(acc.accuracy, 2)} <span class="muted">target {fmtPct(acc.target, 1)}</span>
              </p>
              <p class="note">
                {acc.posted} invoice postings from {acc.from} to {acc.to}; {acc.corrected} corrected since (reversed or credited).
              </p>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
