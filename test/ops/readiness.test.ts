import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph } from '../support/graph.ts';

// /health says the process is alive; /ready says it can serve: its database and every subgraph it
// calls over HTTP answer. A load balancer takes a gateway out of rotation on 503, not on a timeout.
let g: TestGraph;
beforeAll(async () => {
  g = await startTestGraph();
});
afterAll(async () => g?.stop());

const ready = async () => {
  const res = await fetch(new URL('/ready', g.url));
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, string> } };
};

describe('readiness', () => {
  it('is ready when the database and all six subgraphs answer, and names each check', async () => {
    const r = await ready();
    expect(r.status).toBe(200);
    expect(r.body.checks).toEqual({ database: 'ok', crm: 'ok', psa: 'ok', time: 'ok', billing: 'ok', erp: 'ok', sync: 'ok' });
  });

  it('answers 503 naming the subgraph that is down, while /health stays 200', async () => {
    await g.stack.subgraphs.billing.stop();
    const r = await ready();
    expect(r.status).toBe(503);
    expect(r.body.status).toBe('not ready');
    expect(r.body.checks.billing).toBe('failing');
    expect(r.body.checks.crm).toBe('ok');
    expect((await fetch(new URL('/health', g.url))).status).toBe(200);
  });
});
