import { loadConfigOrExit } from '../lib/config.ts';
import { withDatabase } from '../lib/database-runtime.ts';
import { createLogger } from '../lib/logger.ts';
import { loadMappingOrExit } from '../lib/mapping.ts';
import { migrateAll } from '../lib/migrate.ts';
import { failStartup } from '../lib/startup.ts';
import { SUBGRAPH_NAMES, SYSTEMS } from '../subgraphs/index.ts';
import { startSync } from '../sync-jobs/runtime.ts';

const config = loadConfigOrExit();
const mapping = loadMappingOrExit();
const logger = createLogger(config.logLevel, { service: 'migrate' });
await withDatabase(
  config,
  async ({ db, url }) => {
    await migrateAll(db, SYSTEMS);
    // pg-boss installs its schema and our queues, so subgraph processes can enqueue before any worker runs.
    const sync = await startSync({ connectionString: url, db, logger, work: false, mapping });
    await sync.stop();
    console.log(`Migrations applied to ${SUBGRAPH_NAMES.join(', ')} and the job queue (pgboss).`);
  },
  { logger },
).catch((err) => failStartup(err, logger));
