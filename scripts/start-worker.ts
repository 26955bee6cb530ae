import http from 'node:http';
import { loadConfigOrExit } from '../lib/config.ts';
import { openDatabase } from '../lib/database-runtime.ts';
import { logPoolErrors } from '../lib/db.ts';
import { listen } from '../lib/listen.ts';
import { createLogger } from '../lib/logger.ts';
import { loadMappingOrExit } from '../lib/mapping.ts';
import { registry } from '../lib/metrics.ts';
import { startSync } from '../sync-jobs/runtime.ts';

// `npm run start:worker`: a sync worker alone. Run as many as you like against one database:
// pg-boss hands each job to one worker, and a dead worker's job is picked up by another.
const config = loadConfigOrExit();
const mapping = loadMappingOrExit();
const logger = createLogger(config.logLevel, { service: 'sync-worker' });
logPoolErrors(logger);
if (!config.databaseUrl) {
  logger.error('DATABASE_URL is required to run a worker alone; `npm start` runs workers with an embedded database');
  process.exit(2);
}
const database = await openDatabase(config);
const sync = await startSync({ connectionString: database.url, db: database.db, logger, work: true, mapping });
// Prometheus scrapes each worker: its job latencies and attempt outcomes live in its own process.
const metricsServer = http.createServer(async (req, res) => {
  if (req.url === '/metrics') {
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  } else if (req.url === '/health') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'ok' }));
  } else {
    res.statusCode = 404;
    res.end();
  }
});
try {
  await listen(metricsServer, config.metricsPort, config.host, 'sync worker metrics');
} catch (err) {
  logger.error((err as Error).message);
  await sync.stop();
  await database.close();
  process.exit(1);
}
logger.info('sync worker started', { mappingVersion: mapping.version, metrics: `http://${config.host}:${config.metricsPort}/metrics` });
const shutdown = async () => {
  metricsServer.close();
  await sync.stop();
  await database.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
