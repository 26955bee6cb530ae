import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { ok, waitForJob } from '../sync/helpers.ts';
import { wsUrl } from './clients.ts';

// A live stream survives what goes wrong around it: the gateway's LISTEN connection dropping (the
// events committed meanwhile arrive from the ledger, for either subscription field, also for a
// subscriber that had seen no event yet), an event whose selection fails (delivered with its error),
// and a gateway restart (the client resumes with afterSequence on either field).
let g: TestGraph;
let jobId = '';
const clients: Client[] = [];
beforeAll(async () => {
  let oppId = '';
  g = await startTestGraph(
    async (d) => {
      oppId = (await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' })).world.highlights.opportunitiesReadyToWin[0];
    },
    { sync: true },
  );
  ok(await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: oppId }));
  jobId = (await waitForJob(g, 'OPPORTUNITY_WON', oppId)).id;
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await g?.stop();
});

type Result = { data?: any; errors?: any[] };

/** Opens a subscription and collects every result; `closed` says whether the stream ended. */
function follow(query: string, variables: Record<string, unknown> = {}) {
  const client = createClient({
    url: wsUrl(g.url),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${g.adminToken}` },
    retryAttempts: 0,
  });
  clients.push(client);
  const results: Result[] = [];
  const state = { ended: false as boolean | string };
  client.subscribe(
    { query, variables },
    {
      next: (r) => {
        results.push(r as Result);
      },
      error: (e) => {
        state.ended = `error: ${JSON.stringify(e)}`;
      },
      complete: () => {
        state.ended = 'complete';
      },
    },
  );
  return { results, state };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Drops the gateway's LISTEN connection and, within the same statement, commits a status event: its
 * NOTIFY goes to nobody, so only a catch-up from the ledger can deliver it.
 */
async function eventWhileListenerDown(event: string): Promise<string> {
  const res = await g.database.pool.query(
    `with gone as (select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'ledgerline-gateway-listen')
     insert into sync.job_events (job_id, status, event) select $1, 'SUCCEEDED', $2 from (select count(*) from gone) g returning sequence`,
    [jobId, event],
  );
  return String(res.rows[0].sequence);
}

const seen = (results: Result[], event: string) => results.some((r) => JSON.stringify(r.data ?? {}).includes(event));

describe('live streams across a lost LISTEN connection', () => {
  it('syncEvents, with no event seen yet, receives what committed while the connection was down, and goes on', async () => {
    const s = follow('subscription { syncEvents { sequence event job { id } } }');
    await new Promise((r) => setTimeout(r, 500));
    const sequence = await eventWhileListenerDown('while-down-1');
    await until(() => seen(s.results, 'while-down-1'), 'the missed event');
    expect(s.results.find((r) => seen([r], 'while-down-1'))!.data.syncEvents.sequence).toBe(sequence);
    expect(s.results.every((r) => !r.errors)).toBe(true);
    expect(s.state.ended).toBe(false);
  });

  it('syncJobUpdated receives, with its filter, what committed while the connection was down', async () => {
    const s = follow('subscription($id: ID) { syncJobUpdated(filter: { jobId: $id }) { sequence event } }', { id: jobId });
    const other = follow('subscription { syncJobUpdated(filter: { jobId: "job_none" }) { sequence event } }');
    await new Promise((r) => setTimeout(r, 500));
    await eventWhileListenerDown('while-down-2');
    await until(() => seen(s.results, 'while-down-2'), 'the missed event');
    await new Promise((r) => setTimeout(r, 300));
    expect(other.results).toEqual([]);
    expect(s.state.ended).toBe(false);
  });
});

describe('a gateway restart', () => {
  it('a syncJobUpdated client resumes with afterSequence: what it missed, then live, without gap or duplicate', async () => {
    const head = ok<any>(await g.request('{ syncEventHead }')).syncEventHead as string;
    const missed = await g.database.pool.query(
      `insert into sync.job_events (job_id, status, event) values ($1, 'SUCCEEDED', 'missed-a'), ($1, 'SUCCEEDED', 'missed-b') returning sequence`,
      [jobId],
    );
    const s = follow(
      'subscription($id: ID, $after: String) { syncJobUpdated(filter: { jobId: $id }, afterSequence: $after) { sequence event } }',
      {
        id: jobId,
        after: head,
      },
    );
    await until(() => s.results.length >= 2, 'the replay');
    await g.database.pool.query(`insert into sync.job_events (job_id, status, event) values ($1, 'SUCCEEDED', 'live-c')`, [jobId]);
    await until(() => s.results.length >= 3, 'the live event');
    expect(s.results.map((r) => r.data.syncJobUpdated.event)).toEqual(['missed-a', 'missed-b', 'live-c']);
    expect(s.results.slice(0, 2).map((r) => r.data.syncJobUpdated.sequence)).toEqual(missed.rows.map((r) => String(r.sequence)));
  });
});

describe('an event whose selection fails', () => {
  it('is delivered with its error and partial data, and the stream goes on', async () => {
    const s = follow('subscription($id: ID) { syncJobUpdated(filter: { jobId: $id }) { sequence event job { id customer { name } } } }', {
      id: jobId,
    });
    await new Promise((r) => setTimeout(r, 300));
    // The CRM goes down: the customer's name cannot be fetched.
    await g.stack.subgraphs.crm.stop();
    await g.database.pool.query(
      `insert into sync.job_events (job_id, status, event) values ($1, 'SUCCEEDED', 'crm-down-1'), ($1, 'SUCCEEDED', 'crm-down-2')`,
      [jobId],
    );
    await until(() => s.results.length >= 2, 'both events');
    for (const r of s.results.slice(0, 2)) {
      expect(r.errors?.length).toBeGreaterThan(0);
      expect(r.data.syncJobUpdated.event).toMatch(/crm-down/);
    }
    expect(s.state.ended).toBe(false);
  });
});
