import { CloseCode } from 'graphql-ws';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { wsClient } from '../subscriptions/clients.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { TEST_AUTH_SECRET } from '../support/security.ts';

let g: TestGraph;
beforeAll(async () => {
  // The sync engine enqueues (no workers), so an operator's sync action has an engine to act on.
  g = await startTestGraph(
    async (d) => {
      await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
    },
    { sync: 'enqueue-only' },
  );
});
afterAll(async () => g?.stop());

const Q = '{ customers(first: 3) { nodes { name } } }';
const sign = (claims: Record<string, unknown>, opts: { secret?: string; aud?: string; iss?: string; exp?: string | number } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('mallory')
    .setIssuer(opts.iss ?? 'ledgerline')
    .setAudience(opts.aud ?? 'ledgerline')
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '1h')
    .sign(new TextEncoder().encode(opts.secret ?? TEST_AUTH_SECRET));

describe('authentication at the gateway', () => {
  const cases: [string, () => Promise<string | undefined>][] = [
    ['missing token', async () => undefined],
    ['malformed header', async () => 'Token abc'],
    ['expired token', async () => `Bearer ${await sign({ role: 'admin' }, { exp: Math.floor(Date.now() / 1000) - 60 })}`],
    [
      'wrongly signed token',
      async () => `Bearer ${await sign({ role: 'admin' }, { secret: 'another-secret-another-secret-another-secret' })}`,
    ],
    ['wrong audience', async () => `Bearer ${await sign({ role: 'admin' }, { aud: 'someone-else' })}`],
    ['wrong issuer', async () => `Bearer ${await sign({ role: 'admin' }, { iss: 'evil' })}`],
    ['unknown role', async () => `Bearer ${await sign({ role: 'root' })}`],
    ['portal without a customer', async () => `Bearer ${await sign({ role: 'portal' })}`],
    [
      'alg none',
      async () =>
        `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","role":"admin","aud":"ledgerline","iss":"ledgerline"}').toString('base64url')}.`,
    ],
  ];
  for (const [name, header] of cases) {
    it(`${name}: 401 with no data`, async () => {
      const h = await header();
      const res = await g.request(Q, {}, { authorization: h ?? '' });
      expect(res.status).toBe(401);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });
  }

  it('a valid analyst token reads', async () => {
    const res = await g.request(Q, {}, { authorization: `Bearer ${await g.token({ role: 'analyst' })}` });
    expect(res.status).toBe(200);
    expect(res.body.data.customers.nodes).toHaveLength(3);
  });

  it('the bare host sends a browser to the playground, which needs no token to load', async () => {
    const root = await fetch(new URL('/', g.url), { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/graphql');
    const page = await fetch(new URL(root.headers.get('location')!, g.url), { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('graphiql');
  });

  it('answers with business data tell browsers and proxies not to store them (cache-control: no-store)', async () => {
    // The subgraphs compute no cache hints (lib/subgraph.ts); the gateway still marks every answer.
    const res = await fetch(g.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await g.token({ role: 'analyst' })}` },
      body: JSON.stringify({ query: '{ customers(first: 2) { nodes { name arBalance { amount } projects { code } } } }' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data.customers.nodes).toHaveLength(2);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('a WebSocket without a valid token in connection_init is closed with 4403', async () => {
    const client = wsClient(g.url, { Authorization: 'Bearer nope' });
    const closed = new Promise<number>((resolve) => client.on('closed', (e: any) => resolve(e.code)));
    client.subscribe(
      { query: 'subscription { syncJobUpdated { sequence } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    expect(await closed).toBe(CloseCode.Forbidden);
    await client.dispose();
  });

  it('a subgraph reached directly, without the gateway signature, answers 401 and no data', async () => {
    const subgraphs = Object.values(g.stack.subgraphs);
    expect(subgraphs).toHaveLength(6);
    for (const s of subgraphs) {
      const res = await fetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${g.adminToken}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).data).toBeUndefined();
    }
  });
});

describe('roles', () => {
  it('analysts and portal users cannot write: FORBIDDEN, nothing written', async () => {
    const before = (await g.database.pool.query('select count(*)::int n from crm.customers')).rows[0].n;
    for (const token of [await g.token({ role: 'analyst' }), await g.token({ role: 'portal', customerId: 'cus_0001' })]) {
      const res = await g.request(
        `mutation { createCustomer(input: { name: "Evil Corp", region: "NA" }) { id } }`,
        {},
        { authorization: `Bearer ${token}` },
      );
      expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await g.database.pool.query('select count(*)::int n from crm.customers')).rows[0].n).toBe(before);
  });

  it('operators run sync actions and writes; only admins read the audit log', async () => {
    const op = `Bearer ${await g.token({ role: 'operator', sub: 'olivia' })}`;
    const res = await g.request(
      `mutation { createCustomer(input: { name: "Operator Ltd", region: "NA" }) { id } }`,
      {},
      { authorization: op },
    );
    expect(res.body.errors).toBeUndefined();
    const won = (await g.database.pool.query(`select id from crm.opportunities where stage = 'CLOSED_WON' order by id limit 1`)).rows[0].id;
    const action = await g.request(
      `mutation($id: ID!) { syncOpportunity(id: $id) { ok errors { code } job { kind source { id } } } }`,
      { id: won },
      { authorization: op },
    );
    expect(action.body.errors).toBeUndefined();
    expect(action.body.data.syncOpportunity).toEqual({ ok: true, errors: [], job: { kind: 'OPPORTUNITY_WON', source: { id: won } } });
    const denied = await g.request(`{ auditLog(first: 5) { nodes { actor } } }`, {}, { authorization: op });
    expect(denied.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // An admin does read it, and finds the operator's write and sync action there.
    const log = await g.request(`{ auditLog(first: 10, actor: "olivia") { nodes { fields outcome } } }`);
    expect(log.body.errors).toBeUndefined();
    expect(log.body.data.auditLog.nodes).toEqual(
      expect.arrayContaining([
        { fields: ['createCustomer'], outcome: 'OK' },
        { fields: ['syncOpportunity'], outcome: 'OK' },
      ]),
    );
  });
});
