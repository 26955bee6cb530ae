import autocannon, { type Result } from 'autocannon';
import pg from 'pg';
import { type Child, sampleRss, startChild } from '../children.ts';
import type { PartContext } from '../context.ts';
import { BENCH_AS_OF } from '../data.ts';
import { gql, requestHeaders } from '../http.ts';
import { canonical, firstDifference, OPERATIONS, type OperationName, operationContext } from '../operations.ts';

export const VARIANTS = ['ledgerline', 'ledgerline-inproc', 'hive', 'hive-rust', 'floor'] as const;
export type Variant = (typeof VARIANTS)[number];
export const VARIANT_TITLES: Record<Variant, string> = {
  ledgerline: 'Ledgerline gateway (@apollo/gateway)',
  // What npm start serves: the gateway process also hosts the subgraphs and calls them without HTTP.
  'ledgerline-inproc': 'Ledgerline, subgraphs in-process (npm start default)',
  hive: 'Hive Gateway (JS planner)',
  'hive-rust': 'Hive Gateway + Rust planner',
  floor: 'SQL floor (node:http + hand-written SQL)',
};

export type ReadRow = {
  operation: OperationName;
  variant: Variant;
  available: boolean;
  note?: string;
  sameAnswer?: boolean;
  rps?: number;
  p50Ms?: number;
  p99Ms?: number;
  requests?: number;
  errors?: number;
  gatewayRssMb?: number;
  responseBytes?: number;
};

export type ReadsResult = {
  connections: number;
  durationSeconds: number;
  /** Each variant's measurement is split in this many rounds, alternating with the other variants. */
  rounds?: number;
  subgraphRssMb: number;
  startErrors: Partial<Record<Variant, string>>;
  rows: ReadRow[];
  profile?: string;
};

/** The q-quantile of ascending `sorted` (nearest rank). */
function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * BI reads: the four operations against each gateway variant (each its own process, all in front of
 * the same subgraph process) and against the SQL floor, at fixed concurrency for a fixed time.
 */
export async function runReads(ctx: PartContext): Promise<ReadsResult> {
  const connections = 16;
  const durationSeconds = ctx.quick ? 2 : 20;
  const warmupSeconds = ctx.quick ? 0.5 : 3;
  const pool = new pg.Pool({ connectionString: ctx.data.url, max: 2 });
  const opCtx = await operationContext(pool, BENCH_AS_OF);
  await pool.end();

  // Each measurement is split in rounds that alternate between the variants (see below).
  const rounds = ctx.quick ? 1 : 4;
  /** Load for `duration` seconds; each response time (ms) is appended to `times` when given. */
  const load = (url: string, body: string, duration: number, times?: number[]) => {
    const instance = autocannon({
      url,
      method: 'POST',
      headers: requestHeaders,
      body,
      connections,
      duration,
      timeout: 30,
      verifyBody: (b: string) => !b.includes('"errors"'),
    });
    if (times) instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
    return instance as Promise<Result>;
  };

  const env = { DATABASE_URL: ctx.data.url, DB_POOL_SIZE: '10' };
  const subgraphs = await startChild<{ urls: Record<string, string> }>('subgraphs', env);
  const servers: Partial<Record<Variant, Child<{ url: string }>>> = {};
  const startErrors: Partial<Record<Variant, string>> = {};
  const rows: ReadRow[] = [];
  try {
    for (const v of VARIANTS) {
      try {
        servers[v] = await startChild<{ url: string }>(
          v,
          { ...env, SUBGRAPH_URLS: JSON.stringify(subgraphs.info.urls) },
          { cpuProfDir: ctx.profile && v === 'ledgerline' ? ctx.profileDir : undefined },
        );
      } catch (err) {
        startErrors[v] = String((err as Error).message)
          .split('\n')
          .slice(0, 3)
          .join(' ');
        ctx.log(`  ${v} did not start: ${startErrors[v]}`);
      }
    }
    for (const [i, op] of OPERATIONS.entries()) {
      const variables = op.variables(opCtx, op.benchFirst);
      const body = JSON.stringify({ query: op.query, variables, operationName: op.query.match(/query (\w+)/)![1] });
      // The floor answers by operation name; give it the name it knows.
      const floorBody = JSON.stringify({ operationName: op.name, variables });
      const reference = servers.ledgerline ? await gql(servers.ledgerline.info.url, op.query, variables) : undefined;
      if (reference?.errors) ctx.log(`  ${op.name}: Ledgerline answered with errors: ${JSON.stringify(reference.errors).slice(0, 300)}`);
      // Rotate the order per operation, so no variant always runs first (or last) on a noisy machine.
      const order = VARIANTS.map((_, k) => VARIANTS[(k + i) % VARIANTS.length]);
      const measured = order.filter((v) => {
        if (!servers[v]) rows.push({ operation: op.name, variant: v, available: false, note: startErrors[v] });
        return Boolean(servers[v]);
      });
      const bodyOf = (v: Variant) => (v === 'floor' ? floorBody : body);
      const sameAnswer = new Map<Variant, boolean>();
      const responseBytes = new Map<Variant, number>();
      for (const v of measured) {
        const res = await fetch(servers[v]!.info.url, { method: 'POST', headers: requestHeaders, body: bodyOf(v) });
        const text = await res.text();
        let answer: any;
        try {
          answer = JSON.parse(text);
        } catch {
          answer = { errors: [{ message: text.slice(0, 200) }] };
        }
        const diff = reference ? firstDifference(reference.data, answer.data) : 'no reference';
        sameAnswer.set(v, !diff && !answer.errors && canonical(answer.data) !== 'null');
        responseBytes.set(v, text.length);
        if (!sameAnswer.get(v))
          ctx.log(`  ${op.name} on ${v}: answer differs from Ledgerline's: ${diff ?? JSON.stringify(answer.errors).slice(0, 300)}`);
      }
      // The shared subgraph process compiles its hot paths for an operation during the first variant's
      // warm-up: measured alone, the first variant got up to 15% fewer req/s than the same gateway
      // measured again later (175 vs 202 req/s). So every variant warms up before any is measured.
      for (const v of measured) await load(servers[v]!.info.url, bodyOf(v), warmupSeconds);
      // Then the measurement runs in rounds, each variant once per round, the order shifted every
      // round: when the machine's load drifts (it is shared), every variant sees the drift alike.
      const totals = new Map(measured.map((v) => [v, { requests: 0, seconds: 0, errors: 0, times: [] as number[], rss: 0 }]));
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < measured.length; k++) {
          const v = measured[(k + round) % measured.length]!;
          const t = totals.get(v)!;
          const peak = sampleRss(servers[v]!.pid);
          const r = await load(servers[v]!.info.url, bodyOf(v), durationSeconds / rounds, t.times);
          t.rss = Math.max(t.rss, peak());
          t.requests += r.requests.total;
          t.seconds += r.duration;
          t.errors += r.errors + r.timeouts + r.non2xx + r.mismatches;
        }
      }
      for (const v of measured) {
        const t = totals.get(v)!;
        const sorted = Float64Array.from(t.times).sort();
        const rps = t.requests / t.seconds;
        const p50Ms = round1(percentile(sorted, 0.5));
        const p99Ms = round1(percentile(sorted, 0.99));
        rows.push({
          operation: op.name,
          variant: v,
          available: true,
          sameAnswer: sameAnswer.get(v),
          rps,
          p50Ms,
          p99Ms,
          requests: t.requests,
          errors: t.errors,
          gatewayRssMb: Math.round(t.rss),
          responseBytes: responseBytes.get(v),
        });
        ctx.log(
          `  ${op.name.padEnd(16)} ${v.padEnd(10)} ${rps.toFixed(0).padStart(6)} req/s  p50 ${p50Ms} ms  p99 ${p99Ms} ms  errors ${t.errors}  rss ${Math.round(t.rss)} MiB`,
        );
      }
    }
    const subgraphRssMb = Math.round(subgraphs.rssMb());
    return { connections, durationSeconds, rounds, subgraphRssMb, startErrors, rows, profile: ctx.profile ? ctx.profileDir : undefined };
  } finally {
    for (const s of Object.values(servers)) await s?.stop();
    await subgraphs.stop();
  }
}
