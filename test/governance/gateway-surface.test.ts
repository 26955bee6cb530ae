import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGraph, type TestGraph } from '../support/graph.ts';

// What the gateway serves besides GraphQL answers: the playground gives nothing away, /metrics is
// not public, cross-origin browsers are refused unless listed, and the audit names the operation.
const METRICS_TOKEN = 'metrics-token-for-the-tests-0123456789abcdef';
const LOADS_PER_MINUTE = 6;
let dev: TestGraph;
beforeAll(async () => {
  dev = await startTestGraph(undefined, {
    gateway: { development: true, metricsToken: METRICS_TOKEN, corsOrigins: ['https://portal.firm.example'] },
    // Small, so the page-load limit (the same budget, at most 60) is reached in a few requests.
    rateLimitPerMinute: LOADS_PER_MINUTE,
  });
});
afterAll(async () => dev?.stop());

/** A GET with the exact Host header given (fetch does not let a page choose it; a rebinding attacker's page sends its own name). */
function getPage(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.get({ host: '127.0.0.1', port: u.port, path: u.pathname, headers: { accept: 'text/html', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}
const hasToken = (body: Buffer) => /Bearer eyJ/.test(body.toString());

describe('the playground gives nothing away', () => {
  it('fills in a development token only for a browser on this machine asking for localhost', async () => {
    const port = new URL(dev.url).port;
    const local = await getPage(dev.url, { host: `localhost:${port}` });
    expect(local.status).toBe(200);
    expect(hasToken(local.body)).toBe(true);
    expect(local.headers['cache-control']).toBe('no-store');
    // DNS rebinding: the attacker's page reaches 127.0.0.1 under its own name.
    const rebound = await getPage(dev.url, { host: `evil.example:${port}` });
    expect(rebound.status).toBe(200);
    expect(hasToken(rebound.body)).toBe(false);
    // Through a proxy on this machine, the client is somewhere else.
    const proxied = await getPage(dev.url, { host: `localhost:${port}`, 'x-forwarded-for': '203.0.113.9' });
    expect(hasToken(proxied.body)).toBe(false);
  });

  it('is never framed, never sniffed, and its tokenless page is compressed and cached', async () => {
    const port = new URL(dev.url).port;
    const page = await getPage(dev.url, { host: `ledgerline.internal:${port}`, 'accept-encoding': 'gzip' });
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(page.body).toString()).toContain('graphiql');
    expect(page.body.length).toBeLessThan(gunzipSync(page.body).length / 2);
    const etag = page.headers.etag!;
    expect(etag).toMatch(/^".+"$/);
    const again = await getPage(dev.url, { host: `ledgerline.internal:${port}`, 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('without a development key (production) no page carries a token, whoever asks', async () => {
    const prod = await startTestGraph(undefined, { gateway: { playgroundToken: undefined } });
    try {
      const port = new URL(prod.url).port;
      const local = await getPage(prod.url, { host: `localhost:${port}` });
      expect(local.status).toBe(200);
      expect(hasToken(local.body)).toBe(false);
    } finally {
      await prod.stop();
    }
  });

  it('page loads are rate limited per address', async () => {
    const port = new URL(dev.url).port;
    const first = await getPage(dev.url, { host: `x.example:${port}` });
    const etag = first.headers.etag!;
    const statuses: number[] = [first.status];
    const started = Date.now();
    // Revalidations (304, a few bytes), so the requests take milliseconds, not the refill interval.
    for (let i = 0; i < 2 * LOADS_PER_MINUTE; i++)
      statuses.push((await getPage(dev.url, { host: `x.example:${port}`, 'if-none-match': etag })).status);
    // A token bucket: LOADS_PER_MINUTE at once, then one more every 60 / LOADS_PER_MINUTE seconds.
    const refilled = Math.ceil((Date.now() - started) / (60_000 / LOADS_PER_MINUTE));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(LOADS_PER_MINUTE - refilled);
    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(LOADS_PER_MINUTE + refilled);
  });
});

describe('/metrics is not public', () => {
  const metrics = (authorization?: string) =>
    fetch(new URL('/metrics', dev.url), { headers: authorization ? { authorization } : {} }).then((r) => r.status);
  it('answers 401 without credentials or to an analyst, 200 to METRICS_TOKEN or an operator', async () => {
    expect(await metrics()).toBe(401);
    expect(await metrics(`Bearer ${await dev.token({ role: 'analyst' })}`)).toBe(401);
    expect(await metrics(`Bearer ${METRICS_TOKEN}`)).toBe(200);
    expect(await metrics(`Bearer ${await dev.token({ role: 'operator' })}`)).toBe(200);
  });
});

describe('cross-origin browsers', () => {
  const preflight = (origin: string) =>
    fetch(dev.url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
  it('get CORS headers only for a listed origin', async () => {
    expect((await preflight('https://portal.firm.example')).headers.get('access-control-allow-origin')).toBe('https://portal.firm.example');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('get none at all when no origin is listed (the default)', async () => {
    const plain = await startTestGraph();
    try {
      const res = await fetch(plain.url, {
        method: 'OPTIONS',
        headers: { origin: 'https://portal.firm.example', 'access-control-request-method': 'POST' },
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.stop();
    }
  });
});

describe('the audit log', () => {
  it('names the operation from the document when the request body does not', async () => {
    const op = `Bearer ${await dev.token({ role: 'operator', sub: 'named-op' })}`;
    await dev.request('mutation RenameNothing { createCustomer(input: { name: "Audit Name Co", region: "NA" }) { id } }', undefined, {
      authorization: op,
    });
    const rows = await dev.database.pool.query(`select operation_name from sync.audit_log where actor = 'named-op'`);
    expect(rows.rows).toEqual([{ operation_name: 'RenameNothing' }]);
  });
});

describe('subscriptions over the socket', () => {
  // Its own gateway, with the default operation budget: 105 subscribes are 105 operations.
  let roomy: TestGraph;
  beforeAll(async () => {
    roomy = await startTestGraph();
  });
  afterAll(async () => roomy?.stop());

  it('one caller may hold only so many different subscriptions (aliases make each one its own execution per event)', async () => {
    const token = await roomy.token({ role: 'analyst', sub: 'alias-fan' });
    const client = createClient({
      url: roomy.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const outcomes: Promise<string>[] = [];
    for (let i = 0; i < 105; i++) {
      outcomes.push(
        new Promise((resolve) => {
          client.subscribe(
            { query: `subscription { a${i}: syncEvents { sequence } }` },
            {
              next: (r) => r.errors && resolve(JSON.stringify(r.errors)),
              error: (e) => resolve(JSON.stringify(e)),
              complete: () => resolve('complete'),
            },
          );
          setTimeout(() => resolve('open'), 1500);
        }),
      );
    }
    const results = await Promise.all(outcomes);
    await client.dispose();
    expect(results.filter((r) => r === 'open').length).toBe(100);
    expect(results.filter((r) => r.includes('RATE_LIMITED')).length).toBe(5);
  });
});
