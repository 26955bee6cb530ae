// A sync worker in its own process, for tests that kill it: DATABASE_URL names the test database.
import { createDb, createPool } from '../../lib/db.ts';
import { createLogger } from '../../lib/logger.ts';
import { startSync } from '../../sync-jobs/runtime.ts';

const url = process.env.DATABASE_URL!;
const db = createDb<any>(createPool(url, 4));
await startSync({ connectionString: url, db, logger: createLogger('silent'), work: true });
process.stdout.write('ready\n');
