import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('a manifest whose hash does not match its document is refused at start-up', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'trusted-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ deadbeef: QUERY }));
    expect(() => loadTrustedDocuments(file)).toThrow(/hashes to/);
  });
});
