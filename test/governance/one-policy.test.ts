import { type Client, CloseCode, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { seedDemo } from '../../seed/index.ts';
import { wsUrl } from '../subscriptions/clients.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';

// One policy, every path: what HTTP POST refuses, HTTP GET and the WebSocket refuse too, with the
// same codes; and a client's mistake is a 4xx, never a 500 or a closed socket.
const BUDGET = 30;
let g: TestGraph;
beforeAll(async () => {
  g = await startTestGraph(
    async (d) => {
      await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
    },
    { rateLimitPerMinute: BUDGET },
  );
});
afterAll(async () => g?.stop());

const clients: Client[] = [];
afterAll(async () => {
  for (const c of clients) await c.dispose();
});

async function socketOf(sub: string, ttl?: string): Promise<Client> {
  const token = await g.token({ role: 'analyst', sub, ttl });
  // Not lazy: the socket stays open between operations, as a dashboard's does.
  const client = createClient({
    url: wsUrl(g.url),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

/** One operation over the socket: its result (data or errors); transport failures reject. */
function over(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors?: any[] }> {
  return new Promise((resolve, reject) => {
    let result: { data?: any; errors?: any[] } | undefined;
    client.subscribe(
      { query, variables },
      {
        next: (r) => {
          result = r as typeof result;
        },
        error: (e) => (Array.isArray(e) ? resolve({ errors: e }) : reject(e)),
        complete: () => resolve(result ?? {}),
      },
    );
  });
}

const get = (params: Record<string, string>, token: string) =>
  fetch(`${g.url}?${new URLSearchParams(params)}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'apollo-require-preflight': '1' },
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

const codesOf = (body: { errors?: { extensions?: { code?: unknown } }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

// Five aliases of a thousand customers with their projects' invoices: the memory blow-up of the review.
const EXPENSIVE = `query($n: Int!) { ${Array.from({ length: 5 }, (_, i) => `a${i}: customers(first: $n) { nodes { projects { code invoices { number } } } }`).join(' ')} }`;

describe('the cost limit counts variables', () => {
  it('first: $n with n = 1000 is refused like first: 1000 written inline, on POST, GET and the socket', async () => {
    const token = await g.token({ role: 'analyst', sub: 'cost' });
    g.database.statements.length = 0;
    const post = await g.request(EXPENSIVE, { n: 1000 }, { authorization: `Bearer ${token}` });
    expect(post.status).toBe(400);
    expect(codesOf(post.body)).toEqual(['QUERY_COST_EXCEEDED']);
    const inline = await g.request(
      EXPENSIVE.replace('query($n: Int!) ', '').replaceAll('$n', '1000'),
      {},
      { authorization: `Bearer ${token}` },
    );
    expect(codesOf(inline.body)).toEqual(['QUERY_COST_EXCEEDED']);
    const viaGet = await get({ query: EXPENSIVE, variables: JSON.stringify({ n: 1000 }) }, token);
    expect(viaGet.status).toBe(400);
    expect(codesOf(viaGet.body)).toEqual(['QUERY_COST_EXCEEDED']);
    const socket = await over(await socketOf('cost-ws'), EXPENSIVE, { n: 1000 });
    expect(socket.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_COST_EXCEEDED']);
    expect(g.database.statements).toHaveLength(0);
    // The same document with small pages runs: the limit is about size, not shape.
    const small = await g.request(EXPENSIVE, { n: 2 }, { authorization: `Bearer ${token}` });
    expect(small.body.errors).toBeUndefined();
    expect(small.body.data.a0.nodes).toHaveLength(2);
  });
});

describe('client mistakes are 400s with a stable code', () => {
  it('a syntax error, a document over the token limit and two anonymous operations: 400, not 500', async () => {
    const token = await g.token({ role: 'analyst', sub: 'mistakes' });
    const auth = { authorization: `Bearer ${token}` };
    const syntax = await g.request('{ customers(first: 1) { totalCount ', {}, auth);
    expect(syntax.status).toBe(400);
    expect(codesOf(syntax.body)).toEqual(['GRAPHQL_PARSE_FAILED']);
    const tokens = await g.request(`{ ${'__typename '.repeat(7000)} }`, {}, auth);
    expect(tokens.status).toBe(400);
    expect(codesOf(tokens.body)).toEqual(['GRAPHQL_PARSE_FAILED']);
    const twoAnonymous = await g.request('{ customers(first: 1) { totalCount } } { customers(first: 2) { totalCount } }', {}, auth);
    expect(twoAnonymous.status).toBe(400);
    expect(codesOf(twoAnonymous.body).length).toBeGreaterThan(0);
    expect(new Set(codesOf(twoAnonymous.body))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
  });

  it('a persisted-query hash that does not match its text is a 400 with its code', async () => {
    const token = await g.token({ role: 'analyst', sub: 'apq' });
    const res = await g.request('{ customers(first: 1) { totalCount } }', undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(res.status).toBe(200);
    const bad = await fetch(g.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }),
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as any;
    expect(body.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
  });

  it('over the socket, a syntax error and a forbidden field answer that operation only; the socket serves on', async () => {
    const client = await socketOf('ws-mistakes');
    let closed: number | undefined;
    client.on('closed', (e) => {
      closed = (e as { code: number }).code;
    });
    const syntax = await over(client, '{ customers(first: 1) { totalCount ');
    expect(syntax.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_PARSE_FAILED']);
    // An analyst may not read the audit log: FORBIDDEN for this operation, nothing else.
    const forbidden = await over(client, '{ auditLog(first: 1) { nodes { actor } } }');
    expect(forbidden.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    const after = await over(client, '{ customers(first: 1) { totalCount } }');
    expect(after.errors).toBeUndefined();
    expect(after.data.customers.totalCount).toBeGreaterThan(0);
    expect(closed).toBeUndefined();
  });
});

describe('the rate limit is one budget for HTTP and the socket', () => {
  it('queries over one socket are limited like HTTP requests: past the budget, RATE_LIMITED', async () => {
    const client = await socketOf('ws-bursty');
    const results = await Promise.all(Array.from({ length: 2 * BUDGET }, () => over(client, '{ customers(first: 1) { totalCount } }')));
    const limited = results.filter((r) => r.errors?.some((e) => e.extensions?.code === 'RATE_LIMITED'));
    const answered = results.filter((r) => r.data?.customers);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.length).toBeLessThanOrEqual(BUDGET + 1);
    expect(limited.length).toBeGreaterThanOrEqual(BUDGET - 1);
  });

  it('a budget spent over HTTP is spent for the socket too', async () => {
    const sub = 'shared-budget';
    const token = await g.token({ role: 'analyst', sub });
    const statuses = await Promise.all(
      Array.from({ length: BUDGET + 5 }, () =>
        g.request('{ customers(first: 1) { totalCount } }', {}, { authorization: `Bearer ${token}` }),
      ),
    );
    expect(statuses.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    const viaSocket = await over(await socketOf(sub), '{ customers(first: 1) { totalCount } }');
    expect(viaSocket.errors?.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
  });
});

describe('a socket lives as long as its token', () => {
  it('closes with 4403 Forbidden when the token expires, and answers operations until then', async () => {
    const client = await socketOf('short-lived', '3s');
    const closed = new Promise<number>((resolve) => client.on('closed', (e) => resolve((e as { code: number }).code)));
    const before = await over(client, '{ customers(first: 1) { totalCount } }');
    expect(before.errors).toBeUndefined();
    expect(await closed).toBe(CloseCode.Forbidden);
  }, 15_000);
});
