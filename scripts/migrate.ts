import { loadConfigOrExit } from '../lib/config.ts';
import { withDatabase } from '../lib/database-runtime.ts';
import { migrateAll } from '../lib/migrate.ts';

const config = loadConfigOrExit();
await withDatabase(config, async ({ db }) => {
  await migrateAll(db);
  console.log('Migrations applied to crm, psa, time, billing, erp, sync.');
});
