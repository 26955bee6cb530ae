import type http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { GraphQLError, print, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Extra } from 'graphql-ws/use/ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../lib/logger.ts';
import { createGatewayContext, type GatewayContext } from '../context.ts';
import type { SyncEventListener } from './listener.ts';
import { planSubscription } from './plan.ts';
import { EventExecutions, openStream, type RunQuery } from './stream.ts';

export type SubscriptionServerOptions = {
  httpServer: http.Server;
  path: string;
  apollo: ApolloServer<GatewayContext>;
  schema: () => GraphQLSchema;
  listener: SyncEventListener;
  logger: Logger;
  /** Largest WebSocket message accepted; bigger ones close the socket with 1009. */
  maxPayloadBytes?: number;
  maxPendingPerSubscriber?: number;
  /**
   * Checks `connection_init` (the payload clients send, e.g. a bearer token) the way HTTP requests
   * are checked; returning false closes the socket with 4403 Forbidden.
   */
  authenticate?: (connectionParams: Readonly<Record<string, unknown>> | undefined, request: http.IncomingMessage) => Promise<boolean> | boolean;
};

/**
 * graphql-ws on the gateway's own port and path. Subscriptions to the sync status stream are served
 * here (Apollo Gateway executes none): events come from PostgreSQL NOTIFY, and each event's selection,
 * federated fields included, is resolved by running it as a query through the gateway's own planner.
 * Queries and mutations sent over the socket go through the same pipeline as HTTP.
 */
export function attachSubscriptions(opts: SubscriptionServerOptions): { close: () => Promise<void> } {
  const wss = new WebSocketServer({ server: opts.httpServer, path: opts.path, maxPayload: opts.maxPayloadBytes ?? 64 * 1024 });
  const run = (request: http.IncomingMessage): RunQuery => async (query, variables) => {
    const response = await opts.apollo.executeOperation({ query, variables }, { contextValue: createGatewayContext(request.headers) });
    if (response.body.kind !== 'single') return { errors: [new GraphQLError('Incremental delivery is not supported over this socket')] };
    return response.body.singleResult as ExecutionResult;
  };
  // One shared execution cache: identical subscriptions in the same scope resolve each event once.
  const shared = new EventExecutions();

  const disposable = useServer<Record<string, unknown> | undefined, Extra & Record<PropertyKey, unknown>>(
    {
      schema: () => opts.schema(),
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => (opts.authenticate ? opts.authenticate(ctx.connectionParams, ctx.extra.request) : true),
      execute: async (args) => {
        const request = (args.contextValue as { request: http.IncomingMessage }).request;
        return run(request)(print(args.document), (args.variableValues as Record<string, unknown>) ?? {});
      },
      subscribe: async (args) => {
        const plan = planSubscription(args.schema, args.document, args.operationName, (args.variableValues as Record<string, unknown>) ?? {});
        if (plan instanceof GraphQLError) return { errors: [plan] };
        return openStream(plan, 'all', shared, { listener: opts.listener, run: run((args.contextValue as { request: http.IncomingMessage }).request), maxPending: opts.maxPendingPerSubscriber ?? 1000 });
      },
      context: (ctx) => ({ request: ctx.extra.request }),
      onError: (_ctx, _id, _payload, errors) => {
        opts.logger.debug('subscription error', { errors: errors.map((e) => e.message) });
      },
    },
    wss,
  );
  return {
    close: async () => {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
