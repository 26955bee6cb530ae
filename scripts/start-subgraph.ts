import { subgraphContextKey } from '../gateway/security.ts';
import { loadConfigOrExit } from '../lib/config.ts';
import { openDatabase } from '../lib/database-runtime.ts';
import { logPoolErrors } from '../lib/db.ts';
import { createLogger } from '../lib/logger.ts';
import { loadMappingOrExit } from '../lib/mapping.ts';
import { serveSubgraph } from '../lib/subgraph.ts';
import { startTelemetry } from '../lib/telemetry.ts';
import { isSubgraphName, SUBGRAPH_FACTORIES, SUBGRAPH_NAMES, subgraphPort } from '../subgraphs/index.ts';
import { startSync } from '../sync-jobs/runtime.ts';

/**
 * `npm run start:subgraph -- crm`: one subgraph as its own process (production), looked up in the
 * registry (subgraphs/index.ts). It needs `DATABASE_URL`: separate processes cannot share one
 * embedded server's lifecycle. Port: SUBGRAPH_PORT_BASE + its index in the registry. It enqueues the
 * sync jobs its writes trigger; workers (`npm run start:worker`) run them. The entry lives here, not
 * in the subgraph's folder, so a subgraph imports nothing above it (gateway security, sync engine).
 */
const name = process.argv[2];
if (!name || !isSubgraphName(name)) {
  console.error(`Usage: npm run start:subgraph -- <${SUBGRAPH_NAMES.join('|')}>`);
  process.exit(2);
}
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
const server = await serveSubgraph(SUBGRAPH_FACTORIES[name](database.db, sync.stackOptions), {
  port: subgraphPort(config.subgraphPortBase, name),
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
