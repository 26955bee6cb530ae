import { type Client, createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { defaultAsOf } from '../../seed/dates.ts';
import { seedDemo } from '../../seed/index.ts';
import { SUBGRAPH_NAMES } from '../../subgraphs/index.ts';
import { wsUrl } from '../subscriptions/clients.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { ENTRY_POINTS, freePortRange, type Part, startPart, waitReady } from '../support/processes.ts';
import { mintToken, TEST_AUTH_SECRET } from '../support/security.ts';

// The production topology, as processes on this machine: one PostgreSQL, the six subgraphs over HTTP,
// two gateways and two workers, each started by the entry point compose.yaml and the README use, in
// production mode. Reads, a sync flow and live status run through both gateways; one gateway and one
// worker (the one inside a job) are SIGKILLed midway. Nothing is lost: every job settles once, and a
// subscriber of the dead gateway resumes on the other with afterSequence, without gap or duplicate.

const CONTEXT_SECRET = 'topology-test-gateway-context-secret-0123456789';
let database: TestDatabase;
let deals: string[] = [];
const parts: Part[] = [];
const clients: Client[] = [];
let token = '';
const gateways: { part: Part; url: string }[] = [];
const workers: { part: Part; metrics: string; app: string }[] = [];

const env = (extra: Record<string, string>) => ({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  AUTH_SECRET: TEST_AUTH_SECRET,
  GATEWAY_CONTEXT_SECRET: CONTEXT_SECRET,
  DB_POOL_SIZE: '4',
  ...extra,
});
const withAppName = (url: string, app: string) => {
  const u = new URL(url);
  u.searchParams.set('application_name', app);
  return u.toString();
};

async function startGatewayPart(name: string, subgraphUrls: Record<string, string>) {
  const part = startPart(name, ENTRY_POINTS.gateway, [], env({ DATABASE_URL: database.url, PORT: '0', ...subgraphUrls }));
  parts.push(part);
  const line = await part.waitForLog((l) => l.msg === 'gateway listening');
  return { part, url: String(line.url) };
}

async function startWorkerPart(app: string) {
  const part = startPart(app, ENTRY_POINTS.worker, [], env({ DATABASE_URL: withAppName(database.url, app), METRICS_PORT: '0' }));
  parts.push(part);
  const line = await part.waitForLog((l) => l.msg === 'sync worker started');
  return { part, metrics: String(line.metrics), app };
}

beforeAll(async () => {
  database = await createTestDatabase();
  // Seeded as `npm start` seeds: relative to the day it runs, on whatever clock the processes have.
  const seeded = await seedDemo(database.db, { scale: 1, seed: 7, asOf: defaultAsOf(new Date()) });
  deals = seeded.world.highlights.opportunitiesReadyToWin;
  token = await mintToken({ role: 'admin' });

  const base = await freePortRange(SUBGRAPH_NAMES.length);
  const subgraphUrls: Record<string, string> = {};
  for (const [i, name] of SUBGRAPH_NAMES.entries()) {
    const part = startPart(name, ENTRY_POINTS.subgraph, [name], env({ DATABASE_URL: database.url, SUBGRAPH_PORT_BASE: String(base) }));
    parts.push(part);
    subgraphUrls[`SUBGRAPH_${name.toUpperCase()}_URL`] = `http://127.0.0.1:${base + i}/graphql`;
  }
  await Promise.all(parts.map((p) => p.waitForLog((l) => l.msg === 'subgraph listening', 120_000)));
  gateways.push(...(await Promise.all([startGatewayPart('gateway-a', subgraphUrls), startGatewayPart('gateway-b', subgraphUrls)])));
  workers.push(...(await Promise.all([startWorkerPart('worker-1'), startWorkerPart('worker-2')])));
  await Promise.all([
    ...gateways.map((g) => waitReady(new URL('/ready', g.url).toString())),
    ...workers.map((w) => waitReady(w.metrics.replace('/metrics', '/ready'))),
  ]);
}, 240_000);

afterAll(async () => {
  for (const c of clients) await c.dispose();
  await Promise.all(parts.map((p) => p.kill()));
  await database?.drop();
});

async function post<T = any>(gatewayUrl: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  expect(body.errors, `${gatewayUrl}: ${query}`).toBeUndefined();
  expect(res.status).toBe(200);
  return body.data as T;
}

type Event = { sequence: string; status: string; job: { id: string } };
const EVENTS = `subscription($after: String) { syncEvents(afterSequence: $after) { sequence status job { id } } }`;

/** A client of one gateway's syncEvents stream; `closed` turns true when its socket goes. */
function follow(gatewayUrl: string, after: string | null, into: Event[]) {
  const state = { closed: false };
  const client = createClient({
    url: wsUrl(gatewayUrl),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 0,
    on: { closed: () => (state.closed = true) },
  });
  clients.push(client);
  client.subscribe<{ syncEvents: Event }>(
    { query: EVENTS, variables: { after } },
    {
      next: (r) => {
        if (r.data) into.push(r.data.syncEvents);
      },
      error: () => (state.closed = true),
      complete: () => undefined,
    },
  );
  return state;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const TERMINAL = ['SUCCEEDED', 'EXCEPTION', 'DEAD_LETTERED', 'CANCELLED'];
const WIN = `mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`;
const READ = `{ customers(first: 5) { nodes { id name projects { id } invoices { id number } } } }`;

describe('the production topology as processes', () => {
  it('serves reads, a sync flow and subscriptions through both gateways, and loses nothing when a gateway and a worker die', async () => {
    expect(deals.length).toBeGreaterThanOrEqual(3);
    const [a, b] = gateways as [(typeof gateways)[0], (typeof gateways)[0]];

    // Reads: both gateways give the same answer across subgraphs.
    const readA = await post(a.url, READ);
    expect((readA as any).customers.nodes.length).toBe(5);
    expect(await post(b.url, READ)).toEqual(readA);

    // Live status: one subscriber on each gateway, from the current head of the ledger.
    const head = (await post<{ syncEventHead: string | null }>(a.url, '{ syncEventHead }')).syncEventHead;
    const seenA: Event[] = [];
    const seenB: Event[] = [];
    follow(a.url, head ?? '0', seenA);
    const onB = follow(b.url, head ?? '0', seenB);

    // The first deal's flow stops inside its transaction (a held lock), so a worker is killed mid-job.
    const blocker = new pg.Client(database.url);
    await blocker.connect();
    await blocker.query('select pg_advisory_lock(hashtext($1))', [`psa.project-for-opportunity:${deals[0]}`]);
    await post(a.url, WIN, { id: deals[0] });
    await post(b.url, WIN, { id: deals[1] });
    const stuck = await until('a worker blocked inside the first job', async () => {
      const r = await database.pool.query(
        `select a.application_name from pg_locks l join pg_stat_activity a using (pid) where l.locktype = 'advisory' and not l.granted`,
      );
      return r.rows[0]?.application_name as string | undefined;
    });
    const victim = workers.find((w) => w.app === stuck);
    expect(victim, `blocked backend belongs to ${stuck}`).toBeDefined();
    await victim!.part.kill();
    await b.part.kill();
    await blocker.query('select pg_advisory_unlock_all()');
    await blocker.end();

    // The dead gateway's subscriber notices and resumes on the other gateway from what it saw last.
    await until('the socket to the dead gateway to close', () => (onB.closed ? true : undefined));
    follow(a.url, seenB.at(-1)?.sequence ?? head ?? '0', seenB);
    // The rest of the work goes through the surviving gateway, handled by the surviving worker.
    await post(a.url, WIN, { id: deals[2] });

    const jobs = await until('every job to settle', async () => {
      const r = await database.pool.query(
        `select id, source_id, status from sync.jobs where kind = 'OPPORTUNITY_WON' and source_id = any($1)`,
        [deals.slice(0, 3)],
      );
      return r.rows.length === 3 && r.rows.every((j) => TERMINAL.includes(j.status)) ? r.rows : undefined;
    });
    expect(jobs.map((j) => j.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const interrupted = jobs.find((j) => j.source_id === deals[0])!;
    const attempts = await database.pool.query(`select outcome, error_code from sync.job_attempts where job_id = $1 order by attempt_no`, [
      interrupted.id,
    ]);
    expect(attempts.rows).toEqual([
      { outcome: 'FAILED', error_code: 'WORKER_LOST' },
      { outcome: 'SUCCEEDED', error_code: null },
    ]);

    // Each deal became exactly one project, read through the surviving gateway.
    const projects = await database.pool.query(
      `select opportunity_id, count(*)::int n from psa.projects where opportunity_id = any($1) group by 1 order by 1`,
      [deals.slice(0, 3)],
    );
    expect(projects.rows.map((r) => r.n)).toEqual([1, 1, 1]);
    const viaGraph = await post<{ projects: { nodes: { opportunity: { id: string; stage: string } | null }[] } }>(
      a.url,
      `{ projects(first: 500) { nodes { opportunity { id stage } } } }`,
    );
    for (const d of deals.slice(0, 3)) {
      expect(viaGraph.projects.nodes.filter((p) => p.opportunity?.id === d)).toEqual([{ opportunity: { id: d, stage: 'CLOSED_WON' } }]);
    }

    // Both subscribers saw every event the ledger recorded since the head, once each, in order.
    const ledger = await database.pool.query(`select sequence::text from sync.job_events where sequence > $1 order by sequence`, [
      Number(head ?? 0),
    ]);
    const expected = ledger.rows.map((r) => r.sequence as string);
    expect(expected.length).toBeGreaterThan(6);
    await until('both subscribers to reach the end of the ledger', () =>
      seenA.at(-1)?.sequence === expected.at(-1) && seenB.at(-1)?.sequence === expected.at(-1) ? true : undefined,
    );
    expect(seenA.map((e) => e.sequence)).toEqual(expected);
    expect(seenB.map((e) => e.sequence)).toEqual(expected);
  }, 240_000);
});
