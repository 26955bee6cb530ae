import { loadConfigOrExit } from '../lib/config.ts';
import { openDatabase } from '../lib/database-runtime.ts';
import { createLogger } from '../lib/logger.ts';
import { loadMappingOrExit } from '../lib/mapping.ts';
import { startSync } from '../sync-jobs/runtime.ts';

// `npm run start:worker`: a sync worker alone. Run as many as you like against one database:
// pg-boss hands each job to one worker, and a dead worker's job is picked up by another.
const config = loadConfigOrExit();
const mapping = loadMappingOrExit();
const logger = createLogger(config.logLevel, { service: 'sync-worker' });
if (!config.databaseUrl) {
  logger.error('DATABASE_URL is required to run a worker alone; `npm start` runs workers with an embedded database');
  process.exit(2);
}
const database = await openDatabase(config);
const sync = await startSync({ connectionString: database.url, db: database.db, logger, work: true, mapping });
logger.info('sync worker started', { mappingVersion: mapping.version });
const shutdown = async () => {
  await sync.stop();
  await database.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
