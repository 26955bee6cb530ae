import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningGateway, startGateway } from '../../gateway/app.ts';
import { loadSupergraphSdl } from '../../gateway/supergraph.ts';
import { loadTrustedDocuments } from '../../gateway/trusted-documents.ts';
import { createLogger } from '../../lib/logger.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';

const QUERY = '{ customers(first: 1) { totalCount } }';
const HASH = createHash('sha256').update(QUERY).digest('hex');
let g: TestGraph;
beforeAll(async () => {
  g = await startTestGraph();
});
afterAll(async () => g?.stop());

const post = (url: string, body: unknown, token: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

describe('automatic persisted queries', () => {
  it('a hash the gateway has not seen asks for the query; after one full request the hash alone works', async () => {
    const apq = { persistedQuery: { version: 1, sha256Hash: HASH } };
    const first = await post(g.url, { extensions: apq }, g.adminToken);
    expect(first.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await post(g.url, { query: QUERY, extensions: apq }, g.adminToken);
    expect(register.body.data.customers.totalCount).toBe(0);
    const hashOnly = await post(g.url, { extensions: apq }, g.adminToken);
    expect(hashOnly.body.data.customers.totalCount).toBe(0);
  });
});

describe('trusted documents only', () => {
  let strict: RunningGateway;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'trusted-'));
    const file = path.join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify({ [HASH]: QUERY }));
    strict = await startGateway({
      ...g.security,
      trustedDocuments: loadTrustedDocuments(file),
      supergraphSdl: loadSupergraphSdl(),
      subgraphUrls: Object.fromEntries(Object.entries(g.stack.subgraphs).map(([n, s]) => [n, s.url])),
      port: 0,
      host: '127.0.0.1',
      development: false,
      logger: createLogger('silent'),
      // With a database, the strict gateway also serves the WebSocket, which must be as strict.
      databaseUrl: g.database.url,
    });
  });
  afterAll(async () => strict?.stop());

  it('runs a listed document by hash or by its exact text, and refuses anything else before parsing', async () => {
    expect((await post(strict.url, { documentId: HASH }, g.adminToken)).body.data.customers.totalCount).toBe(0);
    expect((await post(strict.url, { query: QUERY }, g.adminToken)).body.data.customers.totalCount).toBe(0);
    const other = await post(strict.url, { query: '{ customers(first: 2) { totalCount } }' }, g.adminToken);
    expect(other.status).toBe(400);
    expect(other.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    // Before parsing: text that is not even GraphQL gets the same refusal, not a syntax error.
    const garbage = await post(strict.url, { query: '{ customers(first: ' }, g.adminToken);
    expect(garbage.status).toBe(400);
    expect(garbage.body.errors.map((e: any) => e.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('GET is as strict as POST: an untrusted ?query= is refused, a trusted hash runs', async () => {
    const get = (params: Record<string, string>) =>
      fetch(`${strict.url}?${new URLSearchParams(params)}`, {
        headers: { authorization: `Bearer ${g.adminToken}`, accept: 'application/json', 'apollo-require-preflight': '1' },
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const untrusted = await get({ query: '{ customers(first: 2) { totalCount } }' });
    expect(untrusted.status).toBe(400);
    expect(untrusted.body.errors.map((e: any) => e.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(untrusted.body.data).toBeUndefined();
    const byHash = await get({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: HASH } }) });
    expect(byHash.body.errors).toBeUndefined();
    expect(byHash.body.data.customers.totalCount).toBe(0);
    // And nothing new is learnt: sending an untrusted text with its hash does not register it.
    const otherQuery = '{ customers(first: 3) { totalCount } }';
    const otherHash = createHash('sha256').update(otherQuery).digest('hex');
    const register = await post(
      strict.url,
      { query: otherQuery, extensions: { persistedQuery: { version: 1, sha256Hash: otherHash } } },
      g.adminToken,
    );
    expect(register.body.errors.map((e: any) => e.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('the WebSocket is as strict: an untrusted query or subscription is refused, a trusted one runs', async () => {
    const client = createClient({
      url: strict.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${g.adminToken}` },
      retryAttempts: 0,
    });
    const run = (payload: { query: string }) =>
      new Promise<any>((resolve, reject) => {
        let last: unknown;
        client.subscribe(payload, {
          next: (r) => {
            last = r;
          },
          error: (e) => (Array.isArray(e) ? resolve({ errors: e }) : reject(e)),
          complete: () => resolve(last),
        });
      });
    try {
      for (const query of ['{ customers(first: 2) { totalCount } }', 'subscription { syncEvents { sequence } }']) {
        const refused = await run({ query });
        expect(refused.errors.map((e: any) => e.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      }
      const trusted = await run({ query: QUERY });
      expect(trusted.data.customers.totalCount).toBe(0);
    } finally {
      await client.dispose();
    }
  });

  it('a manifest whose hash does not match its document is refused at start-up', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'trusted-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ deadbeef: QUERY }));
    expect(() => loadTrustedDocuments(file)).toThrow(/hashes to/);
  });
});
