import { type Client, createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { type Child, startChild } from '../children.ts';
import type { PartContext } from '../context.ts';
import { gqlOk, percentile, requestHeaders } from '../http.ts';

export type SubscriptionRow = {
  subscribers: number;
  sockets: number;
  events: number;
  expectedDeliveries: number;
  deliveries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  mutationP50Ms: number;
  subscribeSeconds: number;
  gatewayRssBeforeMb: number;
  gatewayRssSubscribedMb: number;
  gatewayRssPeakMb: number;
  error?: string;
};

// A federated selection: the job comes from the sync subgraph, its project's code from psa.
const SUBSCRIPTION = `subscription { syncJobUpdated(filter: { kinds: [TIME_APPROVED], statuses: [QUEUED] }) { sequence status job { id kind project { code } } } }`;

/**
 * Subscriptions: many graphql-ws subscribers on one gateway (a `stack` child: subgraphs + gateway,
 * sync enqueue-only so that each event is exactly one QUEUED status). Each event is caused by a
 * timesheet approval sent through the gateway; latency runs from the moment the mutation is sent
 * (the event is written in its transaction and NOTIFYed at its commit) to each subscriber's receipt.
 * Timing from the send includes the mutation itself (reported alongside), so it is an upper bound.
 */
export async function runSubscriptions(ctx: PartContext): Promise<SubscriptionRow[]> {
  const levels = ctx.quick ? [200] : [1000, 5000];
  const eventsPerLevel = ctx.quick ? 5 : 10;
  const pool = new pg.Pool({ connectionString: ctx.data.url, max: 2 });
  const sheets = (
    await pool.query(`select id from time.timesheets where status = 'SUBMITTED' order by id limit $1`, [levels.length * eventsPerLevel])
  ).rows.map((r) => r.id as string);
  await pool.end();
  const rows: SubscriptionRow[] = [];
  let stack: Child<{ url: string }> | undefined;
  try {
    stack = await startChild<{ url: string }>('stack', { DATABASE_URL: ctx.data.url, DB_POOL_SIZE: '10' });
    const url = stack.info.url;
    for (const [li, subscribers] of levels.entries()) {
      const sockets = Math.max(1, Math.ceil(subscribers / 100));
      const levelSheets = sheets.slice(li * eventsPerLevel, (li + 1) * eventsPerLevel);
      const row: SubscriptionRow = {
        subscribers,
        sockets,
        events: levelSheets.length,
        expectedDeliveries: levelSheets.length * subscribers,
        deliveries: 0,
        p50Ms: NaN,
        p99Ms: NaN,
        maxMs: NaN,
        mutationP50Ms: NaN,
        subscribeSeconds: NaN,
        gatewayRssBeforeMb: Math.round(stack.rssMb()),
        gatewayRssSubscribedMb: NaN,
        gatewayRssPeakMb: NaN,
      };
      const clients: Client[] = Array.from({ length: sockets }, () =>
        createClient({
          url: url.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          lazy: false,
          connectionParams: { authorization: requestHeaders.authorization },
        }),
      );
      const unsubscribes: (() => void)[] = [];
      const latencies: number[] = [];
      let sentAt = 0;
      let received = 0;
      let onAll: (() => void) | undefined;
      let error: string | undefined;
      try {
        const t0 = performance.now();
        await Promise.all(
          clients.map(
            (c) =>
              new Promise<void>((resolve, reject) => {
                c.on('connected', () => resolve());
                c.on('closed', (e) => {
                  const ev = e as { code?: number; reason?: string };
                  reject(new Error(`socket closed: ${ev.code ?? ''} ${ev.reason ?? ''}`));
                });
              }),
          ),
        );
        for (let i = 0; i < subscribers; i++) {
          unsubscribes.push(
            clients[i % sockets].subscribe(
              { query: SUBSCRIPTION },
              {
                next: (r) => {
                  const now = performance.now();
                  if (r.errors) error ??= JSON.stringify(r.errors).slice(0, 300);
                  latencies.push(now - sentAt);
                  received++;
                  if (received === subscribers) onAll?.();
                },
                error: (e) => {
                  error ??= String((e as Error)?.message ?? JSON.stringify(e)).slice(0, 300);
                },
                complete: () => undefined,
              },
            ),
          );
        }
        // graphql-ws acknowledges nothing per subscription: give the gateway time to register them all.
        await new Promise((r) => setTimeout(r, Math.max(1000, subscribers / 2)));
        row.subscribeSeconds = (performance.now() - t0) / 1000;
        row.gatewayRssSubscribedMb = Math.round(stack.rssMb());
        let peak = row.gatewayRssSubscribedMb;
        const mutationMs: number[] = [];
        for (const id of levelSheets) {
          received = 0;
          const all = new Promise<void>((resolve) => (onAll = resolve));
          sentAt = performance.now();
          await gqlOk(url, `mutation($id: ID!) { approveTimesheet(id: $id, approver: "bench@firm") { status } }`, { id });
          mutationMs.push(performance.now() - sentAt);
          await Promise.race([all, new Promise((r) => setTimeout(r, 15_000))]);
          row.deliveries += received;
          peak = Math.max(peak, stack.rssMb());
          await new Promise((r) => setTimeout(r, 200));
        }
        latencies.sort((a, b) => a - b);
        mutationMs.sort((a, b) => a - b);
        row.p50Ms = percentile(latencies, 50);
        row.p99Ms = percentile(latencies, 99);
        row.maxMs = latencies.at(-1) ?? NaN;
        row.mutationP50Ms = percentile(mutationMs, 50);
        row.gatewayRssPeakMb = Math.round(peak);
      } catch (err) {
        error ??= err instanceof Error ? err.message : JSON.stringify(err);
      } finally {
        for (const u of unsubscribes) u();
        await Promise.all(clients.map((c) => c.dispose()));
      }
      if (error) row.error = error;
      rows.push(row);
      ctx.log(
        `  ${subscribers} subscribers on ${sockets} sockets: ${row.deliveries}/${row.expectedDeliveries} delivered, p50 ${row.p50Ms.toFixed(1)} ms, p99 ${row.p99Ms.toFixed(1)} ms, rss ${row.gatewayRssBeforeMb} -> ${row.gatewayRssPeakMb} MiB${error ? `, error: ${error}` : ''}`,
      );
      await new Promise((r) => setTimeout(r, 500));
    }
    return rows;
  } finally {
    await stack?.stop();
  }
}
