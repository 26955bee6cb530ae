import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGraph, type TestGraph } from '../support/graph.ts';

// Client mistakes are 4xx, never a 5xx and never a crash: 10,000 generated requests (POST bodies,
// GET query strings, raw graphql-ws messages) built from valid operations broken in the ways clients
// and attackers break them. Seeded, so a failure repeats; FUZZ_RUNS and FUZZ_SEED change the run.
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
let g: TestGraph;
let token = '';
beforeAll(async () => {
  g = await startTestGraph();
  token = await g.token({ role: 'admin', sub: 'fuzzer' });
});
afterAll(async () => g?.stop());

const VALID = [
  '{ customers(first: 2) { totalCount nodes { name } } }',
  'query Q($d: Date!) { timeEntries(first: 1, filter: { from: $d }) { totalCount } }',
  'query($id: ID!) { invoice(id: $id) { number total { amount currency } } }',
  '{ syncJobs(first: 1) { nodes { id status } } }',
  'mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { id } }',
  '{ reconciliation(asOf: "2026-02-30") { asOf } }',
  'query($n: Int) { projects(first: $n) { nodes { code } } }',
  '{ syncEvents(afterSequence: "-1") { sequence } }',
];

const junk = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\u0000', '{', '}', '"', '\\', '$', '@', '...', '#', '\uFFFF', '\uD800', '"""', '(', ')', ':', 'null', '1e999', '-0'),
);

/** A valid operation with a few characters deleted, replaced or inserted. */
const brokenQuery = fc
  .tuple(fc.constantFrom(...VALID), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), junk), { maxLength: 3 }))
  .map(([q, edits]) =>
    edits.reduce((s, [at, del, ins]) => {
      const i = s.length ? at % s.length : 0;
      return s.slice(0, i) + ins + s.slice(i + del);
    }, q),
  );

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const variables = fc.oneof(
  jsonValue,
  fc.record({
    d: fc.oneof(fc.constantFrom('2026-02-30', '2026-13-01', '0000-00-00', '2026-1-1', '', '2026-02-28\u0000'), fc.string()),
    id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    n: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(2 ** 53)),
    input: jsonValue,
  }),
);

const postBody = fc.oneof(
  fc.record({
    query: fc.oneof(brokenQuery, fc.constantFrom(...VALID), junk, jsonValue),
    variables,
    operationName: fc.oneof(junk, fc.constant(null)),
  }),
  fc.record({
    extensions: fc.oneof(jsonValue, fc.record({ persistedQuery: fc.record({ version: fc.oneof(fc.integer(), junk), sha256Hash: junk }) })),
  }),
  jsonValue.map((v) => v as unknown),
  fc.array(fc.record({ query: fc.constantFrom(...VALID) }), { maxLength: 3 }),
);

type Case =
  | { kind: 'post'; body: string; contentType: string }
  | { kind: 'get'; params: [string, string][] }
  | { kind: 'ws'; messages: string[] };

const cases: fc.Arbitrary<Case> = fc.oneof(
  {
    weight: 5,
    arbitrary: postBody.map((b) => ({ kind: 'post' as const, body: JSON.stringify(b) ?? 'null', contentType: 'application/json' })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.string({ unit: 'binary' }),
        fc.constantFrom('application/json', 'text/plain', 'application/graphql', 'multipart/form-data', ''),
      )
      .map(([body, contentType]) => ({ kind: 'post' as const, body, contentType })),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(
        fc.tuple(fc.constantFrom('query', 'variables', 'operationName', 'extensions', 'documentId', 'x'), fc.oneof(brokenQuery, junk)),
        {
          maxLength: 4,
        },
      )
      .map((params) => ({ kind: 'get' as const, params })),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(
        fc.oneof(
          fc
            .record({
              id: fc.oneof(fc.string(), fc.integer()),
              type: fc.constantFrom('subscribe', 'complete', 'ping', 'pong', 'next', 'x'),
              payload: fc.oneof(jsonValue, fc.record({ query: fc.oneof(brokenQuery, junk), variables })),
            })
            .map((m) => JSON.stringify(m)),
          junk,
        ),
        { minLength: 1, maxLength: 4 },
      )
      .map((messages) => ({ kind: 'ws' as const, messages })),
  },
);

async function send(c: Case): Promise<{ status?: number; closeCode?: number }> {
  if (c.kind === 'post') {
    const res = await fetch(g.url, {
      method: 'POST',
      headers: {
        ...(c.contentType ? { 'content-type': c.contentType } : {}),
        authorization: `Bearer ${token}`,
        'apollo-require-preflight': '1',
      },
      body: c.body,
    });
    await res.arrayBuffer();
    return { status: res.status };
  }
  if (c.kind === 'get') {
    const res = await fetch(`${g.url}?${new URLSearchParams(c.params)}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'apollo-require-preflight': '1' },
    });
    await res.arrayBuffer();
    return { status: res.status };
  }
  return new Promise((resolve) => {
    const ws = new WebSocket(g.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const timer = setTimeout(() => {
      ws.close();
      resolve({});
    }, 1500);
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } }));
    });
    ws.on('message', (raw) => {
      if (JSON.parse(String(raw)).type !== 'connection_ack') return;
      for (const m of c.messages) ws.send(m);
      // Let the server answer, then leave.
      setTimeout(() => ws.close(), 100);
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve({ closeCode: code });
    });
    ws.on('error', () => undefined);
  });
}

/** Server failures a client must never cause: 5xx, and graphql-ws's internal-error close. */
const INTERNAL_CLOSE = 4500;

describe(`fuzz: ${RUNS} generated requests`, () => {
  it('none gets a 5xx or closes a socket with an internal error, and the gateway still serves', async () => {
    const samples = fc.sample(cases, { seed: SEED, numRuns: RUNS });
    expect(samples).toHaveLength(RUNS);
    const failures: { c: Case; r: { status?: number; closeCode?: number } }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < samples.length) {
        const c = samples[next++]!;
        const r = await send(c);
        if ((r.status ?? 0) >= 500 || r.closeCode === INTERNAL_CLOSE || r.closeCode === 1011) failures.push({ c, r });
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(failures.slice(0, 5).map((f) => ({ ...f.r, case: JSON.stringify(f.c).slice(0, 300) }))).toEqual([]);
    const health = await fetch(new URL('/health', g.url));
    expect(health.status).toBe(200);
    const ok = await g.request('{ customers(first: 1) { totalCount } }');
    expect(ok.body.errors).toBeUndefined();
  }, 300_000);
});
