import type http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { type ExecutionResult, GraphQLError, type GraphQLSchema, print } from 'graphql';
import type { Extra } from 'graphql-ws/use/ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../lib/logger.ts';
import type { Principal } from '../../lib/principal.ts';
import type { SyncEventListener } from '../../lib/sync-listener.ts';
import type { Authenticator } from '../auth.ts';
import { createGatewayContext, type GatewayContext } from '../context.ts';
import { planSubscription, type SubscriptionPlan } from './plan.ts';
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
  /** Checks the token of `connection_init` exactly as HTTP requests are checked. */
  authenticator: Authenticator;
};

/** The bearer token a client sent: in connection_init (any casing, or under `headers`), else on the upgrade request. */
function tokenOf(params: Readonly<Record<string, unknown>> | undefined, request: http.IncomingMessage): string | undefined {
  const pick = (o: Record<string, unknown> | undefined) => (o ? ((o.Authorization ?? o.authorization) as string | undefined) : undefined);
  return pick(params as Record<string, unknown>) ?? pick(params?.headers as Record<string, unknown>) ?? request.headers.authorization;
}

type SocketExtra = Extra & { principal?: Principal };

/**
 * graphql-ws on the gateway's own port and path. Subscriptions to the sync status stream are served
 * here (Apollo Gateway executes none): events come from PostgreSQL NOTIFY, and each event's selection,
 * federated fields included, is resolved by running it as a query through the gateway's own planner.
 * Queries and mutations sent over the socket go through the same pipeline as HTTP.
 */
type SocketContext = { request: http.IncomingMessage; principal: Principal };

/**
 * A portal user sees the status of its own customer's jobs only: the filter is pinned to that
 * customer, and the global event stream is closed to it. The events' federated fields are then
 * resolved with the user's own principal, so the subgraphs apply their row rules as well.
 */
export function scopeSubscription(plan: SubscriptionPlan, principal: Principal): SubscriptionPlan | GraphQLError {
  if (principal.role !== 'portal') return plan;
  if (plan.field === 'syncEvents')
    return new GraphQLError('The global sync event stream is not available to portal users', { extensions: { code: 'FORBIDDEN' } });
  return { ...plan, args: { ...plan.args, filter: { ...(plan.args.filter ?? {}), customerId: principal.customerId } } };
}

export function attachSubscriptions(opts: SubscriptionServerOptions): { close: () => Promise<void> } {
  const wss = new WebSocketServer({ server: opts.httpServer, path: opts.path, maxPayload: opts.maxPayloadBytes ?? 64 * 1024 });
  const run =
    (request: http.IncomingMessage, principal: Principal): RunQuery =>
    async (query, variables) => {
      const response = await opts.apollo.executeOperation(
        { query, variables },
        { contextValue: createGatewayContext(request.headers, principal) },
      );
      if (response.body.kind !== 'single') return { errors: [new GraphQLError('Incremental delivery is not supported over this socket')] };
      return response.body.singleResult as ExecutionResult;
    };
  // One shared execution cache: identical subscriptions in the same scope resolve each event once.
  const shared = new EventExecutions();

  const disposable = useServer<Record<string, unknown> | undefined, SocketExtra & Record<PropertyKey, unknown>>(
    {
      schema: () => opts.schema(),
      connectionInitWaitTimeout: 10_000,
      // Same tokens, same rules as HTTP; a refused connection_init closes the socket with 4403.
      onConnect: async (ctx) => {
        try {
          ctx.extra.principal = await opts.authenticator.verify(tokenOf(ctx.connectionParams, ctx.extra.request));
          return true;
        } catch {
          return false;
        }
      },
      execute: async (args) => {
        const { request, principal } = args.contextValue as SocketContext;
        return run(request, principal)(print(args.document), (args.variableValues as Record<string, unknown>) ?? {});
      },
      subscribe: async (args) => {
        const { request, principal } = args.contextValue as SocketContext;
        const plan = planSubscription(
          args.schema,
          args.document,
          args.operationName,
          (args.variableValues as Record<string, unknown>) ?? {},
        );
        if (plan instanceof GraphQLError) return { errors: [plan] };
        const scoped = scopeSubscription(plan, principal);
        if (scoped instanceof GraphQLError) return { errors: [scoped] };
        return openStream(scoped, `${principal.role}:${principal.customerId ?? ''}`, shared, {
          listener: opts.listener,
          run: run(request, principal),
          maxPending: opts.maxPendingPerSubscriber ?? 1000,
        });
      },
      context: (ctx): SocketContext => ({ request: ctx.extra.request, principal: ctx.extra.principal! }),
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
