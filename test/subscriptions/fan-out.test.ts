import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { wsUrl } from './clients.ts';

// Many subscribers on one gateway: all get the event. (Latency is measured in the benchmark.)
const SUBSCRIBERS = 1000;
let g: TestGraph;
let oppId = '';
beforeAll(async () => {
  g = await startTestGraph(
    async (d) => {
      oppId = (await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' })).world.highlights.opportunitiesReadyToWin[0];
    },
    { sync: true },
  );
});
afterAll(async () => g?.stop());

describe('fan-out', () => {
  it(`${SUBSCRIBERS} concurrent subscribers on one gateway all receive the event, with its federated fields`, async () => {
    // Several sockets, many subscriptions each, the way dashboards multiplex.
    const sockets = Array.from({ length: 20 }, () =>
      createClient({
        url: wsUrl(g.url),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { Authorization: `Bearer ${g.adminToken}` },
      }),
    );
    const received: Promise<any>[] = [];
    const unsubscribes: (() => void)[] = [];
    let connected = 0;
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const client = sockets[i % sockets.length];
      received.push(
        new Promise((resolve, reject) => {
          unsubscribes.push(
            client.subscribe(
              {
                query: `subscription { syncJobUpdated(filter: { kinds: [OPPORTUNITY_WON], statuses: [SUCCEEDED] }) { status job { customer { name } } } }`,
              },
              { next: (r) => resolve(r.data), error: reject, complete: () => undefined },
            ),
          );
        }),
      );
    }
    await Promise.all(sockets.map((s) => new Promise<void>((r) => s.on('connected', () => r(void connected++)))));
    await new Promise((r) => setTimeout(r, 500));
    await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: oppId });
    const events = await Promise.all(received);
    expect(events).toHaveLength(SUBSCRIBERS);
    for (const e of events) expect(e.syncJobUpdated.job.customer.name).toMatch(/\S/);
    for (const u of unsubscribes) u();
    await Promise.all(sockets.map((s) => s.dispose()));
  }, 60_000);
});
