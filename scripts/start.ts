import { startLocalStack } from '../gateway/local-stack.ts';
import { gatewaySecurity } from '../gateway/security.ts';
import { systemClock } from '../lib/clock.ts';
import { loadConfigOrExit } from '../lib/config.ts';
import { openDatabase } from '../lib/database-runtime.ts';
import { logPoolErrors } from '../lib/db.ts';
import { ownSignals } from '../lib/exit-hooks.ts';
import { createLogger } from '../lib/logger.ts';
import { loadMappingOrExit } from '../lib/mapping.ts';
import { migrateAll } from '../lib/migrate.ts';
import { failStartup } from '../lib/startup.ts';
import { startTelemetry } from '../lib/telemetry.ts';
import { defaultAsOf, isDatabaseEmpty, seedDemo } from '../seed/index.ts';
import { SYSTEMS } from '../subgraphs/index.ts';
import { startSync } from '../sync-jobs/runtime.ts';

/**
 * `npm start`: the whole hub in one command. Embedded PostgreSQL unless DATABASE_URL is set,
 * migrations, the demo data on an empty database, the sync workers, six subgraphs and the gateway.
 */
const config = loadConfigOrExit();
const mapping = loadMappingOrExit();
const logger = createLogger(config.logLevel, { service: 'ledgerline' });
logPoolErrors(logger);
// Traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (lib/telemetry.ts).
startTelemetry('ledgerline');
const started = Date.now();

// This process stops its parts in order on a signal (below), PostgreSQL last.
ownSignals();
const database = await openDatabase(config, { logger }).catch((err) => failStartup(err, logger));
let sync: Awaited<ReturnType<typeof startSync>> | undefined;
let stack: Awaited<ReturnType<typeof startLocalStack>> | undefined;
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  await stack?.stop();
  await sync?.stop();
  await database.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

try {
  logger.info(
    database.embedded ? 'embedded PostgreSQL started' : 'connected to DATABASE_URL',
    database.embedded ? { dataDir: config.dataDir } : {},
  );
  await migrateAll(database.db, SYSTEMS);
  if (await isDatabaseEmpty(database.db)) {
    // The demo's "today" is this week's Monday, so it looks current on the day it is written.
    const asOf = defaultAsOf(systemClock.now());
    logger.info('empty database: writing the demo data set', { scale: config.seedScale, asOf });
    await seedDemo(database.db, { scale: config.seedScale, asOf });
  }
  sync = await startSync({ connectionString: database.url, db: database.db, logger, work: true, mapping });
  const security = await gatewaySecurity(config);
  stack = await startLocalStack({
    ...security,
    rateLimitPerMinute: config.rateLimitPerMinute,
    introspection: config.introspection,
    transport: config.subgraphTransport,
    sync: sync.stackOptions,
    databaseUrl: database.url,
    db: database.db,
    logger,
    port: config.port,
    host: config.host,
    development: config.nodeEnv === 'development',
    inlineTracing: config.inlineTracing,
  });
} catch (err) {
  await failStartup(err, logger, async () => {
    await sync?.stop();
    await database.close();
  });
  throw err; // not reached: failStartup ends the process
}

const gatewayUrl = stack.gateway.url;
process.stdout.write(`
  Ledgerline is running (${((Date.now() - started) / 1000).toFixed(1)} s).

  Graph and playground:  ${gatewayUrl}
  Operations console:    ${gatewayUrl.replace(/\/graphql$/, '/console')}
  Health:                ${gatewayUrl.replace(/\/graphql$/, '/health')}

  The playground starts with a development admin token. From a terminal:
    TOKEN=$(npm run -s token -- --role analyst)
    curl -s ${gatewayUrl} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
      -d '{"query":"{ customers(first: 3) { totalCount nodes { name projects { code name } } } }"}'

  Press Ctrl-C to stop.
`);
