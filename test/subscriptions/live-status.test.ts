import { ApolloClient, gql, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from '../../gateway/app.ts';
import { loadSupergraphSdl } from '../../gateway/supergraph.ts';
import { createLogger } from '../../lib/logger.ts';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { collect, wsClient } from './clients.ts';

let g: TestGraph;
const auth = () => ({ Authorization: `Bearer ${g.adminToken}` });
let ready: string[] = [];
beforeAll(async () => {
  g = await startTestGraph(
    async (d) => {
      ready = (await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' })).world.highlights.opportunitiesReadyToWin;
    },
    { sync: true },
  );
});
afterAll(async () => g?.stop());

const WIN = `mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`;
const STATUS = `subscription($kinds: [SyncJobKind!]) {
  syncJobUpdated(filter: { kinds: $kinds }) {
    sequence status event
    job { kind source { id } customer { name } project { code status } }
  }
}`;
const settled = (source: string) => (events: any[]) =>
  events.some((e) => e.syncJobUpdated.job.source.id === source && e.syncJobUpdated.status === 'SUCCEEDED');

describe('live sync status through the gateway (graphql-ws)', () => {
  it('streams queued -> running -> succeeded in order, each event with federated fields from other systems', async () => {
    const client = wsClient(g.url, auth());
    const sub = collect(client, STATUS, { kinds: ['OPPORTUNITY_WON'] }, settled(ready[0]));
    await sub.subscribed;
    await new Promise((r) => setTimeout(r, 100));
    await g.request(WIN, { id: ready[0] });
    const events = (await sub.events).map((e) => e.syncJobUpdated).filter((e) => e.job.source.id === ready[0]);
    expect(events.map((e) => e.status)).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    const sequences = events.map((e) => BigInt(e.sequence));
    expect([...sequences].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequences);
    // Every event carries the customer from crm; the last one also the project psa created.
    for (const e of events) expect(e.job.customer.name).toMatch(/\S/);
    const last = events.at(-1);
    expect(last.job.project).toMatchObject({ status: 'ACTIVE', code: expect.stringMatching(/^P-/) }); // from psa
    await client.dispose();
  });

  it('serves Apollo Client with GraphQLWsLink', async () => {
    const apollo = new ApolloClient({ link: new GraphQLWsLink(wsClient(g.url, auth())), cache: new InMemoryCache() });
    const seen: any[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const sub = apollo.subscribe({ query: gql(STATUS), variables: { kinds: ['OPPORTUNITY_WON'] } }).subscribe({
        next: (r) => {
          seen.push(r.data);
          if (settled(ready[1])(seen)) {
            sub.unsubscribe();
            resolve();
          }
        },
        error: reject,
      });
      setTimeout(() => reject(new Error(`timed out: ${JSON.stringify(seen)}`)), 20_000);
    });
    await new Promise((r) => setTimeout(r, 300));
    await g.request(WIN, { id: ready[1] });
    await done;
    expect(seen.at(-1).syncJobUpdated.job.project.status).toBe('ACTIVE');
    apollo.stop();
  });

  it('a second gateway process on the same database delivers the same events', async () => {
    const second: RunningGateway = await startGateway({
      ...g.security,
      supergraphSdl: loadSupergraphSdl(),
      subgraphUrls: Object.fromEntries(Object.entries(g.stack.subgraphs).map(([n, s]) => [n, s.url])),
      port: 0,
      host: '127.0.0.1',
      development: false,
      logger: createLogger('silent'),
      databaseUrl: g.database.url,
    });
    try {
      const a = wsClient(g.url, auth());
      const b = wsClient(second.url, auth());
      const subA = collect(a, STATUS, { kinds: ['OPPORTUNITY_WON'] }, settled(ready[2]));
      const subB = collect(b, STATUS, { kinds: ['OPPORTUNITY_WON'] }, settled(ready[2]));
      await Promise.all([subA.subscribed, subB.subscribed]);
      await new Promise((r) => setTimeout(r, 100));
      await g.request(WIN, { id: ready[2] });
      const [ea, eb] = await Promise.all([subA.events, subB.events]);
      const seq = (es: any[]) => es.filter((e) => e.syncJobUpdated.job.source.id === ready[2]).map((e) => e.syncJobUpdated.sequence);
      expect(seq(ea)).toEqual(seq(eb));
      expect(seq(ea)).toHaveLength(3);
      await a.dispose();
      await b.dispose();
    } finally {
      await second.stop();
    }
  });

  it('resumes from the last sequence a client saw: replays what it missed, then continues live, without gap or duplicate', async () => {
    const maxSeq = async () => String((await g.database.pool.query('select max(sequence)::text s from sync.job_events')).rows[0].s);
    const lastSeen = await maxSeq();
    // While the client is away, a job runs to completion.
    const open = (
      await g.request(`{ opportunities(first: 2, filter: { stages: [NEGOTIATION] }) { nodes { id } } }`)
    ).body.data.opportunities.nodes.map((n: any) => n.id);
    expect(open).toHaveLength(2);
    const [away, live] = open;
    await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: away });
    for (
      let i = 0;
      i < 100 &&
      (await g.database.pool.query(`select 1 from sync.jobs where source_id = $1 and status in ('SUCCEEDED','EXCEPTION')`, [away]))
        .rowCount === 0;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const missed = (
      await g.database.pool.query('select sequence::text s from sync.job_events where sequence > $1 order by sequence', [lastSeen])
    ).rows.map((r) => r.s as string);
    expect(missed.length).toBeGreaterThanOrEqual(3);

    const client = wsClient(g.url, auth());
    const sub = collect(
      client,
      `subscription($after: String) { syncEvents(afterSequence: $after) { sequence status job { kind source { id } } } }`,
      { after: lastSeen },
      (es) => es.some((e: any) => e.syncEvents.job.source.id === live && ['SUCCEEDED', 'EXCEPTION'].includes(e.syncEvents.status)),
    );
    await sub.subscribed;
    await new Promise((r) => setTimeout(r, 200));
    await g.request(WIN, { id: live });
    const got = (await sub.events).map((e: any) => e.syncEvents.sequence);
    expect(got.slice(0, missed.length)).toEqual(missed);
    const expected = (
      await g.database.pool.query('select sequence::text s from sync.job_events where sequence > $1 order by sequence', [lastSeen])
    ).rows.map((r) => r.s as string);
    expect(got).toEqual(expected.slice(0, got.length));
    expect(new Set(got).size).toBe(got.length);
    await client.dispose();
  });
});
