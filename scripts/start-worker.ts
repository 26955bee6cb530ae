import http from 'node:http';
import { sql } from 'kysely';
import { loadConfigOrExit } from '../lib/config.ts';
import { openDatabase } from '../lib/database-runtime.ts';
import { logPoolErrors } from '../lib/db.ts';
import { ListenError, listen } from '../lib/listen.ts';
import { createLogger } from '../lib/logger.ts';
import { loadMappingOrExit } from '../lib/mapping.ts';
import { registry } from '../lib/metrics.ts';
import { readiness } from '../lib/readiness.ts';
import { failStartup } from '../lib/startup.ts';
import { startTelemetry } from '../lib/telemetry.ts';
import { startSync } from '../sync-jobs/runtime.ts';

// `npm run start:worker`: a sync worker alone. Run as many as you like against one database:
// pg-boss hands each job to one worker, and a dead worker's job is picked up by another.
const config = loadConfigOrExit();
const mapping = loadMappingOrExit();
const logger = createLogger(config.logLevel, { service: 'sync-worker' });
logPoolErrors(logger);
// Traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (lib/telemetry.ts).
startTelemetry('ledgerline-worker');
if (!config.databaseUrl) {
  logger.error('DATABASE_URL is required to run a worker alone; `npm start` runs workers with an embedded database');
  process.exit(2);
}
let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
let sync: Awaited<ReturnType<typeof startSync>> | undefined;
// Prometheus scrapes each worker: its job latencies and attempt outcomes live in its own process.
// The port is bound before the worker takes any job, so a worker that cannot start takes none.
const metricsServer = http.createServer(async (req, res) => {
  if (req.url === '/metrics') {
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  } else if (req.url === '/health') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'ok' }));
  } else if (req.url === '/ready') {
    // Ready once its database answers and the engine runs: what a deployment waits for.
    const db = database?.db;
    const r = await readiness([
      { name: 'database', check: () => (db ? sql`select 1`.execute(db) : Promise.reject(new Error('starting'))) },
    ]);
    res.statusCode = r.ready && sync ? 200 : 503;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: res.statusCode === 200 ? 'ready' : 'not ready', checks: r.checks }));
  } else {
    res.statusCode = 404;
    res.end();
  }
});
let metricsPort: number;
try {
  metricsPort = await listen(metricsServer, config.metricsPort, config.host, 'sync worker metrics');
} catch (err) {
  // Workers on one host run side by side: the default port goes to the first, the others take a free
  // one and say which. A port set explicitly is a promise to the scraper: not available, no start.
  if (!(err instanceof ListenError && err.code === 'EADDRINUSE' && !config.metricsPortExplicit)) await failStartup(err, logger);
  metricsPort = await listen(metricsServer, 0, config.host, 'sync worker metrics');
  logger.warn(`metrics port ${config.metricsPort} is taken (another worker on this host?): serving metrics on ${metricsPort}`);
}
database = await openDatabase(config, { logger }).catch((err) => failStartup(err, logger, async () => metricsServer.close()));
sync = await startSync({ connectionString: database.url, db: database.db, logger, work: true, mapping });
logger.info('sync worker started', { mappingVersion: mapping.version, metrics: `http://${config.host}:${metricsPort}/metrics` });
const shutdown = async () => {
  metricsServer.close();
  await sync?.stop();
  await database?.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
