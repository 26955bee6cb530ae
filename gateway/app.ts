import http from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { ContextKey } from '../lib/context-token.ts';
import { createPool } from '../lib/db.ts';
import { listen } from '../lib/listen.ts';
import type { Logger } from '../lib/logger.ts';
import { maskError } from '../lib/mask-error.ts';
import { type ReadinessCheck, readiness } from '../lib/readiness.ts';
import type { SubgraphModule } from '../lib/subgraph.ts';
import { SyncEventListener } from '../lib/sync-listener.ts';
import { contextFromHeaders, inSpan, SpanKind, telemetryEnabled } from '../lib/telemetry.ts';
import { auditPlugin } from './audit.ts';
import type { Authenticator } from './auth.ts';
import { consoleRoute } from './console-route.ts';
import { createGatewayContext, type GatewayContext } from './context.ts';
import { resolveSubgraphUrl, SubgraphDataSource } from './data-sources.ts';
import { httpGuard } from './http-guard.ts';
import { InProcessDataSource } from './in-process.ts';
import { PARSE_OPTIONS, queryLimits } from './limits.ts';
import { requestMetricsPlugin } from './metrics-plugin.ts';
import { metricsRoute } from './metrics-route.ts';
import { operationBudget } from './operation-budget.ts';
import { playgroundRoute } from './playground-route.ts';
import { OperationGate } from './policy.ts';
import { withScalarInputRules } from './scalars.ts';
import { attachSubscriptions } from './subscriptions/server.ts';
import { trustedDocumentsCache } from './trusted-documents.ts';

export type GatewayOptions = {
  supergraphSdl: string;
  /** Overrides of the supergraph's routing URLs, by subgraph name. */
  subgraphUrls: Partial<Record<string, string>>;
  /** Subgraphs to call in this process instead of over HTTP (the single-process default). */
  inProcess?: Partial<Record<string, SubgraphModule>>;
  port: number;
  host: string;
  development: boolean;
  logger: Logger;
  authenticator: Authenticator;
  /** Signs the caller forwarded to the subgraphs; they hold the same key. */
  contextKey: ContextKey;
  /** PostgreSQL to LISTEN on for sync status and to write the audit log; without it, neither. */
  databaseUrl?: string;
  rateLimitPerMinute?: number;
  introspection?: boolean;
  /** Trusted-documents-only mode when given. */
  trustedDocuments?: Map<string, string>;
  /** Mints the development token the playground starts with on this machine (embedded default only). */
  playgroundToken?: () => Promise<string>;
  maxBodyBytes?: number;
  /** Browser origins allowed to call the gateway cross-origin; none by default. */
  corsOrigins?: string[];
  /** A static bearer token for Prometheus on /metrics (else an operator or admin token). */
  metricsToken?: string;
  /** How long a subgraph may take before its fetch fails (SUBGRAPH_TIMEOUT_MS). */
  subgraphTimeoutMs?: number;
};

export type RunningGateway = { url: string; port: number; httpServer: http.Server; stop: () => Promise<void> };

/** The gateway: one HTTP server for GraphQL (POST, GET, WebSocket), the playground, health and metrics. */
export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  // The subgraphs this gateway reaches over HTTP, by name: what /ready checks besides the database.
  const remoteSubgraphs = new Map<string, string>();
  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl,
    buildService: ({ name, url }) => {
      const local = opts.inProcess?.[name];
      if (local) return new InProcessDataSource(local, { development: opts.development, logger: opts.logger });
      const resolved = resolveSubgraphUrl(name, url, opts.subgraphUrls);
      remoteSubgraphs.set(name, resolved);
      return new SubgraphDataSource(resolved, opts.contextKey, opts.subgraphTimeoutMs);
    },
  });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const httpServer = http.createServer(app);
  const audit = opts.databaseUrl ? createPool(opts.databaseUrl, 2) : undefined;
  const limits = queryLimits({ production: !opts.development });
  const perMinute = opts.rateLimitPerMinute ?? 600;
  const gate = new OperationGate({
    authenticator: opts.authenticator,
    budget: await operationBudget(perMinute, 'ops', audit),
    failures: await operationBudget(perMinute, 'auth-failures', audit),
    trustedDocuments: opts.trustedDocuments,
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    parseOptions: PARSE_OPTIONS,
    // In trusted-documents mode the persisted-query cache is the manifest, and learns nothing new.
    ...(opts.trustedDocuments ? { persistedQueries: { cache: trustedDocumentsCache(opts.trustedDocuments) } } : {}),
    introspection: opts.introspection ?? opts.development,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    formatError: (formatted, error) => maskError(formatted, error, { development: opts.development, logger: opts.logger }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      requestMetricsPlugin(),
      ...(limits.plugins as ApolloServerPlugin<GatewayContext>[]),
      ...(audit ? [auditPlugin(audit, opts.logger)] : []),
    ],
  });
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: s }) => {
    apiSchema = withScalarInputRules(s);
  });
  await server.start();
  let listener: SyncEventListener | undefined;
  let subscriptions: { close: () => Promise<void> } | undefined;
  if (opts.databaseUrl) {
    listener = new SyncEventListener(opts.databaseUrl, opts.logger);
    await listener.start();
    subscriptions = attachSubscriptions({
      httpServer,
      path: '/graphql',
      apollo: server,
      schema: () => apiSchema!,
      listener,
      logger: opts.logger,
      gate,
      validationRules: limits.validationRules,
    });
  }

  // /health: the process is alive. /ready: it can serve, its database and every subgraph answer.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const checks = (): ReadinessCheck[] => [
    ...(audit ? [{ name: 'database', check: () => audit.query('select 1') }] : []),
    ...[...remoteSubgraphs].map(([name, url]) => ({
      name,
      check: async () => {
        const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(2000) });
        if (!res.ok) throw new Error(`${name} answered ${res.status}`);
      },
    })),
  ];
  app.get('/ready', async (_req, res) => {
    const r = await readiness(checks());
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? 'ready' : 'not ready', checks: r.checks });
  });
  app.get('/metrics', metricsRoute(opts.authenticator, opts.metricsToken));
  // Newcomers open the bare host first; send them to the playground instead of a 404.
  app.get('/', (_req, res) => {
    res.redirect(302, '/graphql');
  });
  // No CORS headers unless origins are listed: browsers then refuse cross-origin reads of the graph.
  if (opts.corsOrigins?.length) app.use('/graphql', cors({ origin: opts.corsOrigins, maxAge: 600 }));
  // Page loads per address: the same budget as operations, at most 60 a minute (the page is large).
  const loadsPerMinute = Math.min(60, opts.rateLimitPerMinute ?? 600);
  app.get('/graphql', playgroundRoute({ endpoint: '/graphql', devToken: opts.playgroundToken, loadsPerMinute }));
  // The operations console: same origin, same tokens, same development convenience as the playground.
  app.use('/console', consoleRoute({ endpoint: '/graphql', devToken: opts.playgroundToken, loadsPerMinute }));
  // With tracing on, each request is a server span continuing the client's trace (traceparent);
  // Apollo Gateway's own spans (plan, fetch) and the subgraphs' nest under it.
  app.use('/graphql', (req, res, next) => {
    if (!telemetryEnabled()) return next();
    void inSpan(`${req.method} /graphql`, { kind: SpanKind.SERVER, parent: contextFromHeaders(req.headers) }, (span) => {
      const done = new Promise<void>((resolve) => {
        res.once('finish', () => {
          span?.setAttribute('http.response.status_code', res.statusCode);
          resolve();
        });
        res.once('close', () => resolve());
      });
      next();
      return done;
    });
  });
  app.use('/graphql', ...httpGuard(gate, opts.maxBodyBytes ?? 256 * 1024));
  app.use(
    '/graphql',
    expressMiddleware(server, { context: async ({ req, res }) => createGatewayContext(req.headers, res.locals.principal) }),
  );
  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    const e = err as { type?: string; status?: number };
    if (e?.type === 'entity.too.large')
      return void res.status(413).json({ errors: [{ message: 'Request body too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    if (e?.status && e.status < 500)
      return void res.status(e.status).json({ errors: [{ message: 'Bad request', extensions: { code: 'BAD_REQUEST' } }] });
    next(err);
  });

  const stop = async () => {
    await subscriptions?.close();
    await listener?.stop();
    await server.stop();
    await audit?.end();
  };
  let port: number;
  try {
    port = await listen(httpServer, opts.port, opts.host, 'gateway');
  } catch (err) {
    await stop();
    throw err;
  }
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  return { url: `http://${shownHost}:${port}/graphql`, port, httpServer, stop };
}
