import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { type GraphQLSchema, parse } from 'graphql';
import type { Kysely, Migration } from 'kysely';
import { type AuthzPolicy, authorize } from './authz.ts';
import { type Clock, systemClock } from './clock.ts';
import type { SubgraphName } from './config.ts';
import type { ContextKey } from './context-token.ts';
import { listen } from './listen.ts';
import { Loaders } from './loaders.ts';
import type { Logger } from './logger.ts';
import { defaultMapping, type Mapping } from './mapping.ts';
import { maskError } from './mask-error.ts';
import type { Principal } from './principal.ts';
import { scalarResolvers } from './scalars.ts';
import { subgraphRequestHandler } from './subgraph-http.ts';
import { NO_TRIGGERS, type Triggers } from './triggers.ts';

/** What every subgraph's resolvers receive. */
export type BaseContext<DB> = {
  db: Kysely<DB>;
  loaders: Loaders;
  requestId: string;
  /** Where writes announce the business events that start sync flows. */
  triggers: Triggers;
  /** The caller, as the gateway verified it (carried in its signed context header). */
  viewer: Principal;
  /** Business time: the dates writes record and defaults derive from (lib/clock.ts). */
  clock: Clock;
  /** The validated mapping file: accounts, tax rates and money policies of each legal entity. */
  mapping: Mapping;
};

/** What a subgraph factory may be given besides its database. */
export type SubgraphOptions = {
  triggers?: Triggers;
  /** Business time; the host's clock unless a test or a replay fixes it. */
  clock?: Clock;
  /** The mapping validated at start-up; read from LEDGERLINE_MAPPING_FILE when absent. */
  mapping?: Mapping;
};

export type RequestInfo = { headers: Record<string, string | string[] | undefined>; principal: Principal };

/** A built subgraph: its schema and how to make a request's context. No sockets, no side effects. */
export type SubgraphModule<Ctx extends object = object> = {
  name: SubgraphName;
  schema: GraphQLSchema;
  context: (req: RequestInfo) => Promise<Ctx> | Ctx;
};

/**
 * One system as the registry (subgraphs/index.ts) lists it: everything the hub derives about a system
 * (config names, ports, migrations, composition, the sync engine's typed views) comes from here.
 */
export type SystemDefinition<Name extends string = string, DB = any, Options extends SubgraphOptions = any> = {
  name: Name;
  /** The side-effect-free factory: schema plus context, no sockets. */
  create: (db: Kysely<DB>, options?: Options) => SubgraphModule<any>;
  /** Its migrations by name, applied inside its own PostgreSQL schema (named after the system). */
  migrations: Record<string, Migration>;
  /** Its own schema.graphql (what code generation reads, with subgraphs/shared/value-types.graphql). */
  schemaFile: URL;
  /** The SDL it serves and composition reads: schema.graphql plus the shared value types it uses. */
  sdl: string;
  /** Its authorization policy (authz.ts), also what the portal-policy check reads. */
  policy: AuthzPolicy;
};

/** Keeps the literal name and the table types of a system for the registry's derived types. */
export function defineSystem<const Name extends string, DB, Options extends SubgraphOptions>(
  system: SystemDefinition<Name, DB, Options>,
): SystemDefinition<Name, DB, Options> {
  return system;
}

/**
 * Resolvers are checked against the SDL when the schema is built: a resolver for an unknown field
 * fails here. The authorization policy wraps every resolver (lib/authz.ts).
 */
export function buildSchema(sdl: string, resolvers: Record<string, object>, policy: AuthzPolicy): GraphQLSchema {
  return authorize(
    buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: { ...scalarResolvers, ...resolvers } as GraphQLResolverMap<unknown> }),
    policy,
  );
}

export function baseContext<DB>(db: Kysely<DB>, req: RequestInfo, options: SubgraphOptions = {}): BaseContext<DB> {
  const header = req.headers['x-request-id'];
  return {
    db,
    loaders: new Loaders(),
    requestId: (Array.isArray(header) ? header[0] : header) ?? randomUUID(),
    triggers: options.triggers ?? NO_TRIGGERS,
    viewer: req.principal,
    clock: options.clock ?? systemClock,
    mapping: options.mapping ?? defaultMapping(),
  };
}

export type ServeOptions = {
  port: number;
  host?: string;
  logger: Logger;
  development: boolean;
  inlineTracing: boolean;
  /** The key the gateway signs the forwarded caller with; requests without a valid signature get nothing. */
  contextKey: ContextKey;
  plugins?: ApolloServerPlugin[];
};
export type RunningServer = { url: string; port: number; stop: () => Promise<void> };

/** Serves one subgraph over HTTP at /graphql. The gateway is its only intended client. */
export async function serveSubgraph(module: SubgraphModule, opts: ServeOptions): Promise<RunningServer> {
  const server = new ApolloServer<object>({
    schema: module.schema,
    includeStacktraceInErrorResponses: opts.development,
    formatError: (formatted, error) =>
      maskError(formatted, error, { development: opts.development, logger: opts.logger.child({ subgraph: module.name }) }),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // The ftv1 trace costs time on every field; only when an operator asks for it.
      opts.inlineTracing ? ApolloServerPluginInlineTrace() : ApolloServerPluginInlineTraceDisabled(),
      // Apollo's cache-control plugin hooks every resolved field to compute cache hints; no type or
      // field here declares one, the gateway treats a subgraph answer without hints as uncacheable
      // and sends clients its own `cache-control: no-store`. In the read benchmark the hook was up
      // to a quarter of a subgraph's CPU on list-heavy reads (lineage).
      ApolloServerPluginCacheControlDisabled(),
      ...(opts.plugins ?? []),
    ],
  });
  await server.start();
  const httpServer = http.createServer(
    subgraphRequestHandler({
      name: module.name,
      server,
      contextKey: opts.contextKey,
      context: (req, principal) => module.context({ headers: req.headers, principal }),
      maxBodyBytes: 2 * 1024 * 1024,
      logger: opts.logger,
    }),
  );
  const port = await listen(httpServer, opts.port, opts.host ?? '127.0.0.1', `subgraph ${module.name}`);
  httpServer.keepAliveTimeout = 65_000;
  return {
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      await server.stop();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
