import type { Kysely } from 'kysely';
import { subgraphContextKey } from '../gateway/security.ts';
import { loadConfigOrExit, SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { openDatabase } from '../lib/database-runtime.ts';
import { logPoolErrors } from '../lib/db.ts';
import { createLogger } from '../lib/logger.ts';
import { loadMappingOrExit } from '../lib/mapping.ts';
import { type SubgraphModule, serveSubgraph } from '../lib/subgraph.ts';
import { startTelemetry } from '../lib/telemetry.ts';
import type { StackOptions } from '../subgraphs/index.ts';
import { startSync } from '../sync-jobs/runtime.ts';

/**
 * Entry point of one subgraph as its own process (production). It needs `DATABASE_URL`: separate
 * processes cannot share one embedded server's lifecycle. Port: SUBGRAPH_PORT_BASE + its index.
 * It enqueues the sync jobs its writes trigger; workers (`npm run start:worker`) run them.
 */
export async function runSubgraphProcess(
  name: SubgraphName,
  build: (db: Kysely<any>, options: StackOptions) => SubgraphModule,
): Promise<void> {
  const config = loadConfigOrExit();
  const mapping = loadMappingOrExit();
  const logger = createLogger(config.logLevel, { service: `subgraph-${name}` });
  logPoolErrors(logger);
  // Traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (lib/telemetry.ts).
  startTelemetry(`ledgerline-${name}`);
  if (!config.databaseUrl) {
    logger.error('DATABASE_URL is required to run a subgraph alone; `npm start` runs everything with an embedded database');
    process.exit(2);
  }
  const database = await openDatabase(config);
  const sync = await startSync({ connectionString: database.url, db: database.db, logger, work: false, mapping });
  const port = config.subgraphPortBase + SUBGRAPH_NAMES.indexOf(name);
  const server = await serveSubgraph(build(database.db, sync.stackOptions), {
    port,
    host: config.host,
    logger,
    development: config.nodeEnv === 'development',
    inlineTracing: config.inlineTracing,
    contextKey: subgraphContextKey(config),
  });
  logger.info('subgraph listening', { url: `http://${config.host}:${server.port}/graphql` });
  const shutdown = async () => {
    await server.stop();
    await sync.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
