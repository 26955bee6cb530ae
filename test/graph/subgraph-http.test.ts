import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_HEADER, contextKey, signContext } from '../../lib/context-token.ts';
import { createLogger } from '../../lib/logger.ts';
import { type RunningServer, serveSubgraph } from '../../lib/subgraph.ts';
import { seedDemo } from '../../seed/index.ts';
import { SUBGRAPH_FACTORIES } from '../../subgraphs/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// A subgraph's own HTTP front (lib/subgraph-http.ts), called the way the gateway and a stray client would.
let d: TestDatabase;
let crm: RunningServer;
const key = contextKey(randomBytes(32).toString('hex'));
let signed: Record<string, string>;
beforeAll(async () => {
  d = await createTestDatabase();
  await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
  crm = await serveSubgraph(SUBGRAPH_FACTORIES.crm(d.db), {
    port: 0,
    logger: createLogger('silent'),
    development: false,
    inlineTracing: false,
    contextKey: key,
  });
  signed = {
    'content-type': 'application/json',
    [CONTEXT_HEADER]: await signContext(key, { sub: 'analyst', role: 'analyst', customerId: null }, 'req-1'),
  };
});
afterAll(async () => {
  await crm?.stop();
  await d?.drop();
});

const post = (body: string, headers: Record<string, string>) => fetch(crm.url, { method: 'POST', headers, body });

describe('a subgraph over HTTP', () => {
  it('answers a signed query, and GET /health', async () => {
    const res = await post(JSON.stringify({ query: '{ customers(first: 2) { nodes { id name } } }' }), signed);
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data.customers.nodes).toHaveLength(2);
    const health = await fetch(new URL('/health', crm.url));
    expect(await health.json()).toEqual({ status: 'ok', subgraph: 'crm' });
  });

  it('refuses what is not a well-formed request with a status and a code, never a crash', async () => {
    const cases: [string, Promise<Response>, number, string][] = [
      ['unsigned', post(JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'application/json' }), 401, 'UNAUTHENTICATED'],
      [
        'forged signature',
        post(JSON.stringify({ query: '{ __typename }' }), { ...signed, [CONTEXT_HEADER]: `${signed[CONTEXT_HEADER]!.slice(0, -2)}xx` }),
        401,
        'UNAUTHENTICATED',
      ],
      ['not JSON', post('{"query": ', signed), 400, 'BAD_REQUEST'],
      [
        'larger than 2 MiB',
        post(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }), signed),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      ['another path', fetch(new URL('/graphiql', crm.url)), 404, 'NOT_FOUND'],
      ['no query', post('{}', signed), 400, 'BAD_REQUEST'],
    ];
    for (const [name, response, status, code] of cases) {
      const res = await response;
      expect(res.status, name).toBe(status);
      const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      expect(body.data, name).toBeUndefined();
      expect(body.errors?.[0]?.extensions?.code, name).toBe(code);
    }
    // Still serving after all of that.
    expect((await post(JSON.stringify({ query: '{ __typename }' }), signed)).status).toBe(200);
  });
});
