import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

export function wsClient(httpUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({ url: wsUrl(httpUrl), webSocketImpl: WebSocket, connectionParams, lazy: true, retryAttempts: 0 });
}

/** Collects the results of one subscription until `until` says enough, or the timeout. */
export function collect<T = any>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  until: (events: T[]) => boolean,
  timeoutMs = 20_000,
) {
  const events: T[] = [];
  let unsubscribe: () => void = () => undefined;
  let ready!: () => void;
  const subscribed = new Promise<void>((r) => (ready = r));
  const done = new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out with ${events.length} events: ${JSON.stringify(events).slice(0, 500)}`));
    }, timeoutMs);
    unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (r) => {
          if (r.errors) {
            clearTimeout(timer);
            reject(new Error(JSON.stringify(r.errors)));
            return;
          }
          events.push(r.data as T);
          if (until(events)) {
            clearTimeout(timer);
            unsubscribe();
            resolve(events.slice());
          }
        },
        error: (e) => {
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(JSON.stringify(e)));
        },
        complete: () => undefined,
      },
    );
    client.on('connected', () => ready());
  });
  return { events: done, subscribed };
}
