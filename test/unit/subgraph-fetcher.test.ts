import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphFetcher } from '../../gateway/subgraph-fetcher.ts';

/** A stand-in subgraph: echoes what it received; answers 401 to requests without the header. */
let server: http.Server;
let url: string;
let sockets = 0;
let open = 0;
let peakOpen = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      open++;
      peakOpen = Math.max(peakOpen, open);
      // Held a little, so concurrent requests overlap.
      setTimeout(() => {
        open--;
        if (req.headers['x-ledgerline-context'] !== 'signed') {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'no' }] }));
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: unknown };
        res
          .writeHead(200, { 'content-type': 'application/json', 'x-seen': 'yes' })
          .end(JSON.stringify({ data: { echo: body.query, variables: body.variables } }));
      }, 20);
    });
  });
  server.on('connection', () => sockets++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

class Signed extends RemoteGraphQLDataSource {
  override willSendRequest({ request }: Parameters<NonNullable<RemoteGraphQLDataSource['willSendRequest']>>[0]) {
    request.http?.headers.set('x-ledgerline-context', 'signed');
  }
}

const call = (source: RemoteGraphQLDataSource, query: string) =>
  source.process({ kind: GraphQLDataSourceRequestKind.HEALTH_CHECK, request: { query, variables: { n: 1 } }, context: {} });

describe('subgraph fetcher (undici pool under Apollo RemoteGraphQLDataSource)', () => {
  it('sends the query, variables and headers and gives Apollo the parsed answer; connections are kept alive and reused', async () => {
    const { fetcher, close } = subgraphFetcher();
    const source = new Signed({ url, fetcher });
    const before = sockets;
    for (let i = 0; i < 10; i++) expect((await call(source, `{ f${i} }`)).data).toEqual({ echo: `{ f${i} }`, variables: { n: 1 } });
    // A request sent the moment the previous answer arrives may find its socket not yet released and
    // open a second one; after that the two take turns.
    expect(sockets - before).toBeLessThanOrEqual(2);
    await close();
  });

  it('a refusal by the subgraph reaches the gateway as Apollo reports it: status, code and the body', async () => {
    const { fetcher, close } = subgraphFetcher();
    const source = new RemoteGraphQLDataSource({ url, fetcher });
    const err = (await call(source, '{ a }').then(
      () => undefined,
      (e: unknown) => e,
    )) as { message: string; extensions: Record<string, any> };
    expect(err.message).toBe('401: Unauthorized');
    expect(err.extensions.code).toBe('UNAUTHENTICATED');
    expect(err.extensions.response.body).toEqual({ errors: [{ message: 'no' }] });
    await close();
  });

  it('response headers and a second read of the body are available, as fetch gives them', async () => {
    const { fetcher, close } = subgraphFetcher();
    const res = await fetcher(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ledgerline-context': 'signed' },
      body: '{"query":"{ x }"}',
    });
    expect(res.ok).toBe(true);
    expect(res.headers.get('x-seen')).toBe('yes');
    const copy = res.clone();
    expect(await res.json()).toEqual({ data: { echo: '{ x }' } });
    expect(JSON.parse(await copy.text())).toEqual({ data: { echo: '{ x }' } });
    await close();
  });

  it('never opens more connections to a subgraph than its limit: the rest wait in the pool', async () => {
    const { fetcher, close } = subgraphFetcher({ connections: 2 });
    const source = new Signed({ url, fetcher });
    const before = sockets;
    peakOpen = 0;
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => call(source, `{ f${i} }`)));
    expect(answers.map((a) => a.data?.echo)).toEqual(Array.from({ length: 6 }, (_, i) => `{ f${i} }`));
    expect(sockets - before).toBe(2);
    expect(peakOpen).toBe(2);
    await close();
  });
});

describe('subgraph fetcher timeout', () => {
  it('a subgraph that never answers fails the fetch after the timeout instead of holding it for minutes', async () => {
    const hung = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const { fetcher, close } = subgraphFetcher({ timeoutMs: 300 });
    const started = Date.now();
    try {
      await expect(
        fetcher(`http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`, { method: 'POST', body: '{"query":"{ x }"}' }),
      ).rejects.toThrow(/timeout/i);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await close();
      hung.closeAllConnections();
      hung.close();
    }
  });
});
