import http from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import pg from 'pg';
import type { ContextKey } from '../lib/context-token.ts';
import { listen } from '../lib/listen.ts';
import type { Logger } from '../lib/logger.ts';
import { maskError } from '../lib/mask-error.ts';
import { registry } from '../lib/metrics.ts';
import type { SubgraphModule } from '../lib/subgraph.ts';
import { SyncEventListener } from '../lib/sync-listener.ts';
import { auditPlugin } from './audit.ts';
import { AuthenticationError, type Authenticator } from './auth.ts';
import { createGatewayContext, type GatewayContext } from './context.ts';
import { resolveSubgraphUrl, SubgraphDataSource } from './data-sources.ts';
import { InProcessDataSource } from './in-process.ts';
import { queryLimits } from './limits.ts';
import { requestMetricsPlugin } from './metrics-plugin.ts';
import { renderPlayground } from './playground.ts';
import { RateLimiter } from './rate-limit.ts';
import { attachSubscriptions } from './subscriptions/server.ts';
import { resolveTrustedDocument } from './trusted-documents.ts';

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
  /** A development token the playground starts with (embedded default only). */
  playgroundToken?: string;
  maxBodyBytes?: number;
};

export type RunningGateway = { url: string; port: number; httpServer: http.Server; stop: () => Promise<void> };

function unauthenticated(res: express.Response, message: string) {
  res
    .status(401)
    .set('WWW-Authenticate', 'Bearer')
    .json({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
}

/** The gateway: one HTTP server for GraphQL (POST, GET, WebSocket), the playground, health and metrics. */
export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl,
    buildService: ({ name, url }) => {
      const local = opts.inProcess?.[name];
      if (local) return new InProcessDataSource(local, { development: opts.development, logger: opts.logger });
      return new SubgraphDataSource(resolveSubgraphUrl(name, url, opts.subgraphUrls), opts.contextKey);
    },
  });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const httpServer = http.createServer(app);
  const audit = opts.databaseUrl
    ? new pg.Pool({ connectionString: opts.databaseUrl, max: 2, application_name: 'ledgerline-gateway-audit' })
    : undefined;
  audit?.on('error', () => undefined);
  const limits = queryLimits({ production: !opts.development });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: opts.introspection ?? opts.development,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    formatError: (formatted, error) => maskError(formatted, error, { development: opts.development, logger: opts.logger }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      requestMetricsPlugin(),
      // graphql-armor is typed against the CommonJS build of @apollo/server; the plugin shape is the same.
      ...(limits.plugins as unknown as ApolloServerPlugin<GatewayContext>[]),
      ...(audit ? [auditPlugin(audit, opts.logger)] : []),
    ],
  });
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: s }) => {
    apiSchema = s;
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
      authenticator: opts.authenticator,
    });
  }

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  // Newcomers open the bare host first; send them to the playground instead of a 404.
  app.get('/', (_req, res) => {
    res.redirect(302, '/graphql');
  });
  const playground = renderPlayground('/graphql', opts.playgroundToken);
  app.get('/graphql', (req, res, next) => {
    // Browsers get the playground; GET queries from programs (Accept: application/json) go to GraphQL.
    if (req.accepts(['text/html', 'application/json']) === 'text/html' && !req.query.query) {
      res.type('html').send(playground);
      return;
    }
    next();
  });

  const limiter = new RateLimiter(opts.rateLimitPerMinute ?? 600);
  app.use('/graphql', async (req, res, next) => {
    let principal: Awaited<ReturnType<Authenticator['verify']>>;
    try {
      principal = await opts.authenticator.verify(req.headers.authorization);
    } catch (err) {
      // Failed attempts are limited per address, so guessing tokens is slow too.
      const wait = limiter.take(`ip:${req.ip}`);
      if (wait)
        return void res
          .status(429)
          .set('Retry-After', String(wait))
          .json({ errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED' } }] });
      if (err instanceof AuthenticationError) return unauthenticated(res, err.message);
      return next(err);
    }
    const wait = limiter.take(`sub:${principal.sub}`);
    if (wait)
      return void res
        .status(429)
        .set('Retry-After', String(wait))
        .json({ errors: [{ message: `Rate limit exceeded; retry in ${wait} s`, extensions: { code: 'RATE_LIMITED' } }] });
    res.locals.principal = principal;
    next();
  });
  app.use('/graphql', express.json({ limit: opts.maxBodyBytes ?? 256 * 1024 }));
  if (opts.trustedDocuments) {
    const docs = opts.trustedDocuments;
    app.post('/graphql', (req, res, next) => {
      const query = resolveTrustedDocument(docs, req.body ?? {});
      if (!query)
        return void res.status(400).json({
          errors: [{ message: 'Only trusted documents are accepted by this gateway', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
        });
      req.body.query = query;
      next();
    });
  }
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
