import type { Kysely } from 'kysely';
import { loadConfigOrExit, SUBGRAPH_NAMES, type SubgraphName } from './config.ts';
import { openDatabase } from './database-runtime.ts';
import { createLogger } from './logger.ts';
import { serveSubgraph, type SubgraphModule } from './subgraph.ts';

/**
 * Entry point of one subgraph as its own process (production). It needs `DATABASE_URL`: separate
 * processes cannot share one embedded server's lifecycle. Port: SUBGRAPH_PORT_BASE + its index.
 */
export async function runSubgraphProcess(name: SubgraphName, build: (db: Kysely<any>) => SubgraphModule): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, { service: `subgraph-${name}` });
  if (!config.databaseUrl) {
    logger.error('DATABASE_URL is required to run a subgraph alone; `npm start` runs everything with an embedded database');
    process.exit(2);
  }
  const database = await openDatabase(config);
  const port = config.subgraphPortBase + SUBGRAPH_NAMES.indexOf(name);
  const server = await serveSubgraph(build(database.db), {
    port,
    host: config.host,
    logger,
    development: config.nodeEnv === 'development',
    inlineTracing: config.inlineTracing,
  });
  logger.info('subgraph listening', { url: `http://${config.host}:${server.port}/graphql` });
  const shutdown = async () => {
    await server.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
