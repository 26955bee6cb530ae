import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';

export type Connection = 'connecting' | 'live' | 'reconnecting';

/**
 * One urql client per session: queries and mutations over HTTP POST to the gateway, subscriptions over
 * graphql-ws on the same URL, both with the session's bearer token.
 */
export function createConsoleClient(endpoint: string, token: string, onConnection: (c: Connection) => void) {
  const wsUrl = new URL(endpoint, location.href);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = createWsClient({
    url: wsUrl.toString(),
    connectionParams: { Authorization: `Bearer ${token}` },
    // A gateway restart or a network blip must not end the live view: retry for as long as the tab is open.
    retryAttempts: Number.MAX_SAFE_INTEGER,
    shouldRetry: () => true,
    on: {
      connecting: () => onConnection('connecting'),
      connected: () => onConnection('live'),
      closed: () => onConnection('reconnecting'),
    },
  });
  const client = new Client({
    url: endpoint,
    // POST, never GET: the gateway's CSRF protection refuses simple GET requests from browsers.
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}
