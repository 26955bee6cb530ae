import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../gateway/app.ts';
import { loadSupergraphSdl } from '../../gateway/supergraph.ts';
import { createLogger } from '../../lib/logger.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';

let g: TestGraph;
beforeAll(async () => {
  g = await startTestGraph(undefined, { rateLimitPerMinute: 30 });
});
afterAll(async () => g?.stop());

const nest = (depth: number): string => (depth === 0 ? 'name' : `name parent { ${nest(depth - 1)} }`);

describe('query limits, before execution', () => {
  it('a depth bomb is rejected without touching the database', async () => {
    g.database.statements.length = 0;
    const res = await g.request(`{ customers(first: 1) { nodes { ${nest(30)} } } }`);
    // Depth and cost both grow with nesting; whichever limit trips first, nothing runs.
    expect(res.body.errors?.map((e) => e.message).join(' ')).toMatch(/depth|cost/i);
    expect(res.body.data).toBeUndefined();
    expect(g.database.statements).toHaveLength(0);
    // The control: the same shape, shallow, does reach the database, so the empty list above means something.
    const shallow = await g.request(`{ customers(first: 1) { nodes { ${nest(1)} } } }`);
    expect(shallow.body.errors).toBeUndefined();
    expect(g.database.statements.length).toBeGreaterThan(0);
  });

  it('an alias bomb is rejected', async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: customers(first: 1) { totalCount }`).join(' ');
    const res = await g.request(`{ ${aliases} }`);
    expect(res.body.errors?.[0].message).toMatch(/alias/i);
    expect(res.body.data).toBeUndefined();
  });

  it('a cost bomb (wide and deep pages) is rejected', async () => {
    const wide =
      'customers(first: 1000) { nodes { opportunities { project { timeEntries(first: 1000) { nodes { invoice { lines { billableItems { timeEntry { project { code } } } } } } } } } } }';
    const res = await g.request(`{ ${wide} }`);
    expect(res.body.errors?.[0].message).toMatch(/cost|depth/i);
    expect(res.body.data).toBeUndefined();
  });

  it('a request body over the limit gets 413', async () => {
    const res = await g.request(`{ customers(first: 1) { totalCount } } # ${'x'.repeat(300_000)}`);
    expect(res.status).toBe(413);
  });
});

describe('rate limit', () => {
  it('holds under a burst: past the budget, 429 with Retry-After', async () => {
    const token = await g.token({ role: 'analyst', sub: 'bursty' });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    const results = await Promise.all(
      Array.from({ length: 60 }, () =>
        fetch(g.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ customers(first: 1) { totalCount } }' }),
        }),
      ),
    );
    for (const r of results) {
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(31);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(29);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another client is not affected.
    const other = await g.request(
      '{ customers(first: 1) { totalCount } }',
      {},
      { authorization: `Bearer ${await g.token({ role: 'analyst', sub: 'calm' })}` },
    );
    expect(other.status).toBe(200);
  });
});

describe('audit', () => {
  it('every mutation writes an audit row: actor, role, fields, variables hash, outcome', async () => {
    const token = `Bearer ${await g.token({ role: 'operator', sub: 'auditor-test' })}`;
    await g.request(
      `mutation($n: String!) { createCustomer(input: { name: $n, region: "NA" }) { id } }`,
      { n: 'Audited Inc' },
      { authorization: token },
    );
    await g.request(`mutation { createCustomer(input: { name: "", region: "NA" }) { id } }`, {}, { authorization: token });
    await new Promise((r) => setTimeout(r, 100));
    const log = await g.request(
      `{ auditLog(first: 10, actor: "auditor-test") { totalCount nodes { actor role fields outcome errorCodes variablesSha256 } } }`,
    );
    expect(log.body.errors).toBeUndefined();
    expect(log.body.data.auditLog.totalCount).toBe(2);
    expect(log.body.data.auditLog.nodes).toEqual([
      {
        actor: 'auditor-test',
        role: 'operator',
        fields: ['createCustomer'],
        outcome: 'ERROR',
        errorCodes: ['BAD_USER_INPUT'],
        variablesSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      {
        actor: 'auditor-test',
        role: 'operator',
        fields: ['createCustomer'],
        outcome: 'OK',
        errorCodes: [],
        variablesSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
  });
});

describe('rate limit across replicas', () => {
  it('two gateways on one database share one budget per caller (it was one per process)', async () => {
    const second = await startGateway({
      ...g.security,
      supergraphSdl: loadSupergraphSdl(),
      subgraphUrls: Object.fromEntries(Object.entries(g.stack.subgraphs).map(([n, s]) => [n, s.url])),
      port: 0,
      host: '127.0.0.1',
      development: false,
      logger: createLogger('silent'),
      databaseUrl: g.database.url,
      rateLimitPerMinute: 30,
    });
    try {
      const token = await g.token({ role: 'analyst', sub: 'two-replicas' });
      const statuses: number[] = [];
      // Alternating between the replicas, as a balancer would: 40 requests against a budget of 30.
      for (let i = 0; i < 40; i++) {
        const url = i % 2 ? second.url : g.url;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ customers(first: 1) { totalCount } }' }),
        });
        statuses.push(res.status);
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(30);
      expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    } finally {
      await second.stop();
    }
  });
});
