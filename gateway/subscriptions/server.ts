import type http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { type ExecutionResult, GraphQLError, type GraphQLFormattedError, type GraphQLSchema, print, type ValidationRule } from 'graphql';
import { CloseCode } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../lib/logger.ts';
import type { Principal } from '../../lib/principal.ts';
import type { SyncEventListener } from '../../lib/sync-listener.ts';
import type { Authenticated } from '../auth.ts';
import { createGatewayContext, type GatewayContext } from '../context.ts';
import { checkOperation } from '../limits.ts';
import type { OperationGate } from '../policy.ts';
import { planSubscription, type SubscriptionPlan } from './plan.ts';
import { EventExecutions, openStream, type RunQuery, sharedHead } from './stream.ts';

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
  /** The gate HTTP requests pass too: authentication, rate limit, trusted documents (gateway/policy.ts). */
  gate: OperationGate;
  /** The shape limits Apollo Server applies to HTTP (gateway/limits.ts). */
  validationRules: readonly ValidationRule[];
  /** Different subscriptions one caller may hold over all its sockets: each costs an execution per event. */
  maxSubscriptionsPerCaller?: number;
};

/** The bearer token a client sent: in connection_init (any casing, or under `headers`), else on the upgrade request. */
function tokenOf(params: Readonly<Record<string, unknown>> | undefined, request: http.IncomingMessage): string | undefined {
  const pick = (o: Record<string, unknown> | undefined) => (o ? ((o.Authorization ?? o.authorization) as string | undefined) : undefined);
  return pick(params as Record<string, unknown>) ?? pick(params?.headers as Record<string, unknown>) ?? request.headers.authorization;
}

type SocketExtra = Extra & { caller?: Authenticated; expiry?: NodeJS.Timeout };

/**
 * graphql-ws on the gateway's own port and path. Subscriptions to the sync status stream are served
 * here (Apollo Gateway executes none): events come from PostgreSQL NOTIFY, and each event's selection,
 * federated fields included, is resolved by running it as a query through the gateway's own planner.
 * Queries and mutations sent over the socket go through the same pipeline as HTTP.
 */
type SocketContext = { request: http.IncomingMessage; principal: Principal };

/** Message types only a server sends; graphql-ws accepts them from a client as well-formed, then fails. */
const SERVER_ONLY_TYPES = new Set(['connection_ack', 'next', 'error']);

/**
 * A client that sends a server's message type (`next`, `error`, `connection_ack`) gets 4400 Bad
 * Request: graphql-ws threw on it and closed the socket with 4500 Internal Server Error, logging
 * the client's mistake as the server's. Registered before graphql-ws, so its listener sees the
 * message only when it is one a client may send.
 */
function refuseServerMessagesFromClients(wss: WebSocketServer): void {
  wss.on('connection', (socket) => {
    const on = socket.on.bind(socket);
    socket.on = ((event: string, listener: (...args: unknown[]) => void) => {
      if (event !== 'message') return on(event, listener);
      return on('message', (data: unknown, isBinary: boolean) => {
        let type: unknown;
        try {
          type = (JSON.parse(String(data)) as { type?: unknown } | null)?.type;
        } catch {
          type = undefined;
        }
        if (typeof type === 'string' && SERVER_ONLY_TYPES.has(type))
          socket.close(CloseCode.BadRequest, `Unexpected message of type ${type}`);
        else listener(data, isBinary);
      });
    }) as typeof socket.on;
  });
}

/** The request of the gateway's own reads (no client headers to carry). */
const SERVICE_REQUEST = { headers: {} } as http.IncomingMessage;

const error = (message: string, code: string, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { ...extra, code } });

/**
 * Apollo Server answers with formatted errors (plain objects); graphql-ws serialises GraphQLError
 * instances (it calls toJSON), and a plain object made it close the whole socket with 4500.
 */
export function asGraphQLErrors(result: { errors?: readonly unknown[] }): GraphQLError[] | undefined {
  return result.errors?.map((e) => {
    if (e instanceof GraphQLError) return e;
    const f = e as GraphQLFormattedError;
    return new GraphQLError(f.message, { path: f.path, extensions: f.extensions });
  });
}

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
  refuseServerMessagesFromClients(wss);
  const maxPerCaller = opts.maxSubscriptionsPerCaller ?? 100;
  const activeByCaller = new Map<string, Map<string, number>>();
  const run =
    (request: http.IncomingMessage, principal: Principal): RunQuery =>
    async (query, variables) => {
      const response = await opts.apollo.executeOperation(
        { query, variables },
        { contextValue: createGatewayContext(request.headers, principal) },
      );
      if (response.body.kind !== 'single') return { errors: [new GraphQLError('Incremental delivery is not supported over this socket')] };
      const result = response.body.singleResult;
      const errors = asGraphQLErrors(result);
      return { ...result, ...(errors ? { errors } : {}) } as ExecutionResult;
    };
  // One shared execution cache: identical subscriptions in the same scope resolve each event once.
  const shared = new EventExecutions();
  // The head is a number any caller may read; read it as the gateway's own service identity.
  const head = sharedHead(run(SERVICE_REQUEST, { sub: 'gateway', role: 'analyst', customerId: null }));

  const disposable = useServer<Record<string, unknown> | undefined, SocketExtra & Record<PropertyKey, unknown>>(
    {
      schema: () => opts.schema(),
      connectionInitWaitTimeout: 10_000,
      // Same tokens, same rules as HTTP; a refused connection_init closes the socket with 4403.
      onConnect: async (ctx) => {
        try {
          const caller = await opts.gate.authenticate(tokenOf(ctx.connectionParams, ctx.extra.request));
          ctx.extra.caller = caller;
          // The socket lives as long as its token: at expiry it closes with 4403 and the client
          // reconnects with a fresh token (and resumes its stream by sequence).
          ctx.extra.expiry = setTimeout(() => ctx.extra.socket.close(CloseCode.Forbidden, 'Token expired'), caller.expiresAt - Date.now());
          ctx.extra.expiry.unref();
          return true;
        } catch {
          return false;
        }
      },
      onClose: (ctx) => {
        clearTimeout(ctx.extra.expiry);
      },
      // Every operation over the socket passes the gate as an HTTP request does, then the same limits.
      onSubscribe: async (ctx, _id, payload) => {
        const caller = ctx.extra.caller!;
        if (caller.expiresAt <= Date.now()) {
          ctx.extra.socket.close(CloseCode.Forbidden, 'Token expired');
          return [error('The token has expired', 'UNAUTHENTICATED')];
        }
        const admitted = await opts.gate.admit(caller, payload);
        if (!admitted.ok) return [error(admitted.message, admitted.code, admitted.retryAfter ? { retryAfter: admitted.retryAfter } : {})];
        const schema = opts.schema();
        const variables = (payload.variables ?? undefined) as Record<string, unknown> | undefined;
        const checked = checkOperation(schema, opts.validationRules, admitted.query ?? '', variables, payload.operationName);
        if ('errors' in checked) return checked.errors;
        return {
          schema,
          document: checked.document,
          operationName: payload.operationName,
          variableValues: variables,
          contextValue: { request: ctx.extra.request, principal: caller } satisfies SocketContext,
        };
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
        const after = plan.args.afterSequence;
        if (after != null && !/^\d{1,16}$/.test(String(after)))
          return {
            errors: [
              error(`afterSequence must be a sequence number as a string of digits, got ${JSON.stringify(after)}`, 'BAD_USER_INPUT'),
            ],
          };
        const scoped = scopeSubscription(plan, principal);
        if (scoped instanceof GraphQLError) return { errors: [scoped] };
        // Identical subscriptions share one execution per event (EventExecutions); distinct ones
        // (another selection, other aliases) each cost one. A caller may hold this many distinct ones.
        const shape = `${print(scoped.eventQuery)}\u0000${JSON.stringify(scoped.variables)}`;
        const shapes = activeByCaller.get(principal.sub) ?? new Map<string, number>();
        if (!shapes.has(shape) && shapes.size >= maxPerCaller)
          return {
            errors: [
              error(`At most ${maxPerCaller} different subscriptions per caller at once; complete some first`, 'RATE_LIMITED', {
                limit: maxPerCaller,
              }),
            ],
          };
        shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
        activeByCaller.set(principal.sub, shapes);
        const release = () => {
          const n = (shapes.get(shape) ?? 1) - 1;
          if (n > 0) shapes.set(shape, n);
          else shapes.delete(shape);
          if (shapes.size === 0) activeByCaller.delete(principal.sub);
        };
        return openStream(scoped, `${principal.role}:${principal.customerId ?? ''}`, shared, {
          listener: opts.listener,
          run: run(request, principal),
          maxPending: opts.maxPendingPerSubscriber ?? 1000,
          onEnd: release,
          head,
        });
      },
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
