import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../lib/logger.ts';
import { SyncEventListener } from './subscriptions/listener.ts';
import { attachSubscriptions } from './subscriptions/server.ts';
import { maskError } from '../lib/mask-error.ts';
import { registry } from '../lib/metrics.ts';
import { requestMetricsPlugin } from './metrics-plugin.ts';
import { createGatewayContext, type GatewayContext } from './context.ts';
import { resolveSubgraphUrl, SubgraphDataSource } from './data-sources.ts';
import { renderPlayground } from './playground.ts';

export type GatewayOptions = {
  supergraphSdl: string;
  /** Overrides of the supergraph's routing URLs, by subgraph name. */
  subgraphUrls: Partial<Record<string, string>>;
  port: number;
  host: string;
  development: boolean;
  logger: Logger;
  /** PostgreSQL to LISTEN on for sync status events; without it the gateway serves no subscriptions. */
  databaseUrl?: string;
};

export type RunningGateway = { url: string; port: number; httpServer: http.Server; stop: () => Promise<void> };

/** The gateway: one HTTP server for GraphQL (POST), the playground (GET from a browser) and health. */
export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl,
    buildService: ({ name, url }) => new SubgraphDataSource(name, resolveSubgraphUrl(name, url, opts.subgraphUrls)),
  });
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: opts.development,
    formatError: (formatted, error) => maskError(formatted, error, { development: opts.development, logger: opts.logger }),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), requestMetricsPlugin()],
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
    subscriptions = attachSubscriptions({ httpServer, path: '/graphql', apollo: server, schema: () => apiSchema!, listener, logger: opts.logger });
  }

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  const playground = renderPlayground('/graphql');
  app.get('/graphql', (req, res, next) => {
    // Browsers get the playground; GET queries from programs (Accept: application/json) go to GraphQL.
    if (req.accepts(['text/html', 'application/json']) === 'text/html' && !req.query.query) {
      res.type('html').send(playground);
      return;
    }
    next();
  });
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(server, { context: async ({ req }) => createGatewayContext(req.headers) }));

  await new Promise<void>((resolve) => httpServer.listen(opts.port, opts.host, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    httpServer,
    stop: async () => {
      await subscriptions?.close();
      await listener?.stop();
      await server.stop();
    },
  };
}
