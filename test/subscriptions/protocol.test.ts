import { CloseCode } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { wsUrl } from './clients.ts';

// Protocol abuse gets graphql-ws's close codes, and the gateway keeps serving everyone else.

/** RFC 6455 "Message Too Big": the WebSocket server's own limit (ws maxPayload); graphql-ws has no name for it. */
const MESSAGE_TOO_BIG = 1009;
let g: TestGraph;
beforeAll(async () => {
  g = await startTestGraph();
});
afterAll(async () => g?.stop());

function open(): Promise<WebSocket> {
  const ws = new WebSocket(wsUrl(g.url), 'graphql-transport-ws');
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

async function initialised(): Promise<WebSocket> {
  const ws = await open();
  ws.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${g.adminToken}` } }));
  await new Promise<void>((resolve) => ws.once('message', () => resolve()));
  return ws;
}

const subscribe = (id: string) =>
  JSON.stringify({ id, type: 'subscribe', payload: { query: 'subscription { syncJobUpdated { sequence } }' } });

describe('graphql-ws protocol abuse', () => {
  it('a subscribe before connection_init closes with 4401 Unauthorized', async () => {
    const ws = await open();
    const c = closed(ws);
    ws.send(subscribe('1'));
    expect((await c).code).toBe(CloseCode.Unauthorized);
  });

  it('an unknown message type closes with 4400', async () => {
    const ws = await initialised();
    const c = closed(ws);
    ws.send(JSON.stringify({ type: 'gimme', id: '1' }));
    expect((await c).code).toBe(CloseCode.BadRequest);
  });

  it('a duplicate subscription id closes with 4409 Subscriber already exists', async () => {
    const ws = await initialised();
    const c = closed(ws);
    ws.send(subscribe('dup'));
    ws.send(subscribe('dup'));
    expect((await c).code).toBe(CloseCode.SubscriberAlreadyExists);
  });

  it('a second connection_init closes with 4429 Too many initialisation requests', async () => {
    const ws = await initialised();
    const c = closed(ws);
    ws.send(JSON.stringify({ type: 'connection_init' }));
    expect((await c).code).toBe(CloseCode.TooManyInitialisationRequests);
  });

  it('an oversized message closes with 1009 Message too big', async () => {
    const ws = await initialised();
    const c = closed(ws);
    ws.send(
      JSON.stringify({
        id: 'big',
        type: 'subscribe',
        payload: { query: `subscription { syncJobUpdated { sequence } } # ${'x'.repeat(200_000)}` },
      }),
    );
    expect((await c).code).toBe(MESSAGE_TOO_BIG);
  });

  it('a subscription to an unknown field is answered with an error message, not a crash', async () => {
    const ws = await initialised();
    const reply = new Promise<any>((resolve) => ws.on('message', (m) => resolve(JSON.parse(m.toString()))));
    ws.send(JSON.stringify({ id: 'x', type: 'subscribe', payload: { query: 'subscription { nope }' } }));
    expect(await reply).toMatchObject({ id: 'x', type: 'error' });
    ws.close();
  });

  it('after all that the gateway still answers queries over HTTP and WebSocket', async () => {
    const res = await g.request('{ customers(first: 1) { totalCount } }');
    expect(res.body.data.customers.totalCount).toBe(0);
    const ws = await initialised();
    const reply = new Promise<any>((resolve) => ws.on('message', (m) => resolve(JSON.parse(m.toString()))));
    ws.send(JSON.stringify({ id: 'q', type: 'subscribe', payload: { query: '{ customers(first: 1) { totalCount } }' } }));
    expect(await reply).toEqual({ id: 'q', type: 'next', payload: { data: { customers: { totalCount: 0 } } } });
    ws.close();
  });
});
