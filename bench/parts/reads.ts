import autocannon from 'autocannon';
import pg from 'pg';
import { startChild, sampleRss, type Child } from '../children.ts';
import { BENCH_AS_OF } from '../data.ts';
import { gql, requestHeaders } from '../http.ts';
import { canonical, firstDifference, OPERATIONS, operationContext, type OperationName } from '../operations.ts';
import type { PartContext } from '../run.ts';

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
  subgraphRssMb: number;
  startErrors: Partial<Record<Variant, string>>;
  rows: ReadRow[];
  profile?: string;
};

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

  const load = (url: string, body: string, duration: number) =>
    autocannon({ url, method: 'POST', headers: requestHeaders, body, connections, duration, timeout: 30, verifyBody: (b: string) => !b.includes('"errors"') });

  const env = { DATABASE_URL: ctx.data.url, DB_POOL_SIZE: '10' };
  const subgraphs = await startChild<{ urls: Record<string, string> }>('subgraphs', env);
  const servers: Partial<Record<Variant, Child<{ url: string }>>> = {};
  const startErrors: Partial<Record<Variant, string>> = {};
  const rows: ReadRow[] = [];
  try {
    for (const v of VARIANTS) {
      try {
        servers[v] = await startChild<{ url: string }>(v, { ...env, SUBGRAPH_URLS: JSON.stringify(subgraphs.info.urls) }, { cpuProfDir: ctx.profile && v === 'ledgerline' ? ctx.profileDir : undefined });
      } catch (err) {
        startErrors[v] = String((err as Error).message).split('\n').slice(0, 3).join(' ');
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
      // The shared subgraph process compiles its hot paths for an operation during the first variant's
      // warm-up: measured alone, the first variant got up to 15% fewer req/s than the same gateway
      // measured again later (175 vs 202 req/s). So every variant warms up on this operation before
      // any is measured, and each warms up once more right before its own measurement.
      for (const v of order) {
        const server = servers[v];
        if (server) await load(server.info.url, v === 'floor' ? floorBody : body, warmupSeconds);
      }
      for (const v of order) {
        const server = servers[v];
        if (!server) {
          rows.push({ operation: op.name, variant: v, available: false, note: startErrors[v] });
          continue;
        }
        const reqBody = v === 'floor' ? floorBody : body;
        const res = await fetch(server.info.url, { method: 'POST', headers: requestHeaders, body: reqBody });
        const text = await res.text();
        let answer: any;
        try {
          answer = JSON.parse(text);
        } catch {
          answer = { errors: [{ message: text.slice(0, 200) }] };
        }
        const diff = reference ? firstDifference(reference.data, answer.data) : 'no reference';
        const sameAnswer = !diff && !answer.errors && canonical(answer.data) !== 'null';
        if (!sameAnswer) ctx.log(`  ${op.name} on ${v}: answer differs from Ledgerline's: ${diff ?? JSON.stringify(answer.errors).slice(0, 300)}`);
        const run = (duration: number) => load(server.info.url, reqBody, duration);
        await run(warmupSeconds);
        const peak = sampleRss(server.pid);
        const r = await run(durationSeconds);
        const rss = peak();
        const errors = r.errors + r.timeouts + r.non2xx + r.mismatches;
        rows.push({
          operation: op.name,
          variant: v,
          available: true,
          sameAnswer,
          rps: r.requests.average,
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          requests: r.requests.total,
          errors,
          gatewayRssMb: Math.round(rss),
          responseBytes: text.length,
        });
        ctx.log(`  ${op.name.padEnd(16)} ${v.padEnd(10)} ${r.requests.average.toFixed(0).padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  errors ${errors}  rss ${Math.round(rss)} MiB`);
      }
    }
    const subgraphRssMb = Math.round(subgraphs.rssMb());
    return { connections, durationSeconds, subgraphRssMb, startErrors, rows, profile: ctx.profile ? ctx.profileDir : undefined };
  } finally {
    for (const s of Object.values(servers)) await s?.stop();
    await subgraphs.stop();
  }
}
