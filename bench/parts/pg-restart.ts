import { type Client, createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { type Child, startChild } from '../children.ts';
import type { PartContext } from '../context.ts';
import { gql, gqlOk, requestHeaders } from '../http.ts';

export type PgRestartResult = {
  readers: number;
  reads: number;
  readErrors: number;
  approvalsAcknowledged: number;
  approvalErrors: number;
  /** From the stop command to the server accepting connections again. */
  downSeconds: number;
  /** From the first failed request to the last, as clients saw it. */
  errorWindowSeconds: number;
  /** From the server being back to the last failed request: how long the hub took to recover. */
  recoverSeconds: number;
  /** Acknowledged approvals whose timesheet is not APPROVED afterwards. */
  acknowledgedLost: number;
  jobs: number;
  jobsSucceeded: number;
  jobsOther: Record<string, number>;
  eventsInLedger: number;
  eventsDelivered: number;
  eventsLost: number;
  eventsDuplicated: number;
  subscriberReconnects: number;
  processesAlive: boolean;
  /** The last lines a dead process wrote to stderr, to say why it died. */
  deaths: string[];
};

const READ = `{ customers(first: 10) { nodes { name projects { code } invoices { number total { amount currency } } } } }`;
const APPROVE = `mutation($id: ID!) { approveTimesheet(id: $id, approver: "drill@firm") { status } }`;
const EVENTS = `subscription($after: String) { syncEvents(afterSequence: $after) { sequence status } }`;
const TERMINAL = ['SUCCEEDED', 'EXCEPTION', 'DEAD_LETTERED', 'CANCELLED'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The restart drill: PostgreSQL is restarted (fast shutdown, every session terminated) while readers,
 * an approver and a live subscriber use the hub, whose gateway, subgraphs and two workers run as
 * processes. Requests in flight fail; the hub must recover by itself, lose no acknowledged write and
 * no job, and the subscriber (resuming with afterSequence only if its socket closes) must see every
 * event of the ledger once.
 */
export async function runPgRestart(ctx: PartContext): Promise<PgRestartResult> {
  const readers = ctx.quick ? 4 : 8;
  const warmMs = ctx.quick ? 3_000 : 10_000;
  const afterMs = ctx.quick ? 5_000 : 15_000;
  const pool = new pg.Pool({ connectionString: ctx.data.url, max: 2 });
  // The restart ends the pool's idle sessions too; the next query opens new ones.
  pool.on('error', () => undefined);
  // The last submitted timesheets: the subscriptions part approves the first ones.
  const sheets = (await pool.query(`select id from time.timesheets where status = 'SUBMITTED' order by id desc limit 400`)).rows.map(
    (r) => r.id as string,
  );
  let stack: Child<{ url: string }> | undefined;
  let workers: Child<unknown> | undefined;
  const clients: Client[] = [];
  try {
    stack = await startChild<{ url: string }>('stack', { DATABASE_URL: ctx.data.url, DB_POOL_SIZE: '10', BENCH_LOG: 'warn' });
    workers = await startChild('worker', { DATABASE_URL: ctx.data.url, ENGINES: '2', BENCH_LOG: 'warn' });
    const url = stack.info.url;
    const head = (await gqlOk<{ syncEventHead: string | null }>(url, '{ syncEventHead }')).syncEventHead ?? '0';

    // The subscriber: a client that resumes from the last sequence it saw if its socket ever closes.
    const seen: string[] = [];
    let reconnects = 0;
    let following = true;
    const subscribe = () => {
      const client = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: requestHeaders.authorization },
      });
      clients.push(client);
      client.subscribe<{ syncEvents: { sequence: string } }>(
        { query: EVENTS, variables: { after: seen.at(-1) ?? head } },
        {
          next: (r) => {
            if (r.data) seen.push(r.data.syncEvents.sequence);
          },
          error: () => {
            if (!following) return;
            reconnects++;
            setTimeout(subscribe, 500);
          },
          complete: () => undefined,
        },
      );
    };
    subscribe();

    const failures: number[] = [];
    let reads = 0;
    let readErrors = 0;
    let approvalErrors = 0;
    const acknowledged: string[] = [];
    let running = true;
    const call = async (query: string, variables: Record<string, unknown> = {}) => {
      try {
        const r = await gql(url, query, variables);
        return !r.errors?.length && r.data !== undefined;
      } catch {
        return false;
      }
    };
    const readLoops = Array.from({ length: readers }, async () => {
      while (running) {
        reads++;
        if (!(await call(READ))) {
          readErrors++;
          failures.push(performance.now());
          await sleep(50);
        }
      }
    });
    const approveLoop = (async () => {
      for (const id of sheets) {
        if (!running) break;
        if (await call(APPROVE, { id })) acknowledged.push(id);
        else {
          approvalErrors++;
          failures.push(performance.now());
          await sleep(50);
        }
        await sleep(20);
      }
    })();

    await sleep(warmMs);
    ctx.log(`pgrestart: restarting PostgreSQL under load (${readers} readers, 1 approver, 1 subscriber)`);
    const stopAt = performance.now();
    await ctx.data.postgres.restart();
    const upAt = performance.now();
    await sleep(afterMs);
    running = false;
    await Promise.all([...readLoops, approveLoop]);

    // Every job the approvals caused settles; then the subscriber must have reached the ledger's end.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const open = await pool.query(`select count(*)::int n from sync.jobs where status <> all($1)`, [TERMINAL]);
      if (open.rows[0].n === 0 || Date.now() > deadline) break;
      await sleep(500);
    }
    const ledger = (
      await pool.query(`select sequence::text s from sync.job_events where sequence > $1 order by sequence`, [head])
    ).rows.map((r) => r.s as string);
    const eventsDeadline = Date.now() + 30_000;
    while (seen.length < ledger.length && Date.now() < eventsDeadline) await sleep(200);
    following = false;
    const seenSet = new Set(seen);
    const jobs = await pool.query(
      `select j.status, count(*)::int n from sync.jobs j where j.source_id = any($1) or j.id in (select job_id from sync.job_events where sequence > $2) group by 1`,
      [acknowledged, head],
    );
    const jobsOther: Record<string, number> = {};
    for (const r of jobs.rows) if (r.status !== 'SUCCEEDED') jobsOther[r.status] = r.n;
    const notApproved = await pool.query(`select count(*)::int n from time.timesheets where id = any($1) and status <> 'APPROVED'`, [
      acknowledged,
    ]);
    return {
      readers,
      reads,
      readErrors,
      approvalsAcknowledged: acknowledged.length,
      approvalErrors,
      downSeconds: (upAt - stopAt) / 1000,
      errorWindowSeconds: failures.length ? (Math.max(...failures) - Math.min(...failures)) / 1000 : 0,
      recoverSeconds: failures.length ? Math.max(0, Math.max(...failures) - upAt) / 1000 : 0,
      acknowledgedLost: notApproved.rows[0].n,
      jobs: jobs.rows.reduce((s, r) => s + r.n, 0),
      jobsSucceeded: jobs.rows.find((r) => r.status === 'SUCCEEDED')?.n ?? 0,
      jobsOther,
      eventsInLedger: ledger.length,
      eventsDelivered: seen.length,
      eventsLost: ledger.filter((s) => !seenSet.has(s)).length,
      eventsDuplicated: seen.length - seenSet.size,
      subscriberReconnects: reconnects,
      processesAlive: stack.alive() && workers.alive(),
      deaths: [stack, workers].filter((c) => !c.alive()).map((c) => c.stderr().slice(-1500)),
    };
  } finally {
    for (const c of clients) await c.dispose();
    await pool.end();
    await workers?.stop();
    await stack?.stop();
  }
}
