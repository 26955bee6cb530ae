import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';

import type { ContextKey } from '../lib/context-token.ts';
import type { Logger } from '../lib/logger.ts';
import { type RunningServer, type SubgraphModule, serveSubgraph } from '../lib/subgraph.ts';
import { type StackOptions, SUBGRAPH_FACTORIES, SUBGRAPH_NAMES, type SubgraphName } from '../subgraphs/index.ts';
import { type RunningGateway, startGateway } from './app.ts';
import type { Authenticator } from './auth.ts';
import { loadSupergraphSdl } from './supergraph.ts';

export type LocalStack = { gateway: RunningGateway; subgraphs: Record<SubgraphName, RunningServer>; stop: () => Promise<void> };

export type LocalStackOptions = {
  db: Kysely<any>;
  logger: Logger;
  port: number;
  host: string;
  development: boolean;
  inlineTracing?: boolean;
  /** 0 (default) lets the OS choose: the subgraphs are internal, only the gateway needs a known port. */
  subgraphPortBase?: number;
  /** Triggers and operator actions of the sync engine; without them writes start no sync job. */
  sync?: StackOptions;
  /** Business time of the subgraphs (lib/clock.ts); else the sync engine's, else the host's. */
  clock?: Clock;
  /** For the gateway's LISTEN connection (live sync status over graphql-ws) and its audit log. */
  databaseUrl?: string;
  authenticator: Authenticator;
  /** Signs the caller the gateway forwards; the in-process subgraphs check it with the same key. */
  contextKey: ContextKey;
  rateLimitPerMinute?: number;
  introspection?: boolean;
  trustedDocuments?: Map<string, string>;
  playgroundToken?: () => Promise<string>;
  corsOrigins?: string[];
  metricsToken?: string;
  /**
   * 'in-process' (the npm start default) lets the gateway call the subgraphs without HTTP; their
   * HTTP servers still run, for tools and for checking. 'http' goes over the network as a
   * distributed deployment does.
   */
  transport?: 'http' | 'in-process';
};

/**
 * Everything in one process: the six subgraphs, each on its own real HTTP server on loopback, and the
 * gateway in front. Used by `npm start` and by the integration test harness.
 */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const subgraphs = {} as Record<SubgraphName, RunningServer>;
  const modules = {} as Record<SubgraphName, SubgraphModule>;
  try {
    for (const [i, name] of SUBGRAPH_NAMES.entries()) {
      modules[name] = SUBGRAPH_FACTORIES[name](opts.db, { ...opts.sync, clock: opts.clock ?? opts.sync?.clock });
      subgraphs[name] = await serveSubgraph(modules[name], {
        port: opts.subgraphPortBase ? opts.subgraphPortBase + i : 0,
        host: '127.0.0.1',
        logger: opts.logger.child({ subgraph: name }),
        development: opts.development,
        inlineTracing: opts.inlineTracing ?? false,
        contextKey: opts.contextKey,
      });
    }
    const gateway = await startGateway({
      supergraphSdl: loadSupergraphSdl(),
      subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphs[n].url])),
      inProcess: opts.transport === 'in-process' ? modules : undefined,
      port: opts.port,
      host: opts.host,
      development: opts.development,
      logger: opts.logger.child({ service: 'gateway' }),
      databaseUrl: opts.databaseUrl,
      authenticator: opts.authenticator,
      contextKey: opts.contextKey,
      rateLimitPerMinute: opts.rateLimitPerMinute,
      introspection: opts.introspection,
      trustedDocuments: opts.trustedDocuments,
      playgroundToken: opts.playgroundToken,
      corsOrigins: opts.corsOrigins,
      metricsToken: opts.metricsToken,
    });
    return {
      gateway,
      subgraphs,
      stop: async () => {
        await gateway.stop();
        await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
      },
    };
  } catch (err) {
    await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
    throw err;
  }
}
