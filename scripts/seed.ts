import { parseArgs } from 'node:util';
import { systemClock } from '../lib/clock.ts';
import { loadConfigOrExit } from '../lib/config.ts';
import { withDatabase } from '../lib/database-runtime.ts';
import { createLogger } from '../lib/logger.ts';
import { migrateAll } from '../lib/migrate.ts';
import { failStartup } from '../lib/startup.ts';
import { defaultAsOf, isDatabaseEmpty, resetDatabase, SeedRefusedError, seedDemo } from '../seed/index.ts';
import { SYSTEMS } from '../subgraphs/index.ts';

const usage = 'Usage: npm run seed -- [--scale N] [--seed S] [--as-of YYYY-MM-DD] [--force]';

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        scale: { type: 'string' },
        seed: { type: 'string' },
        'as-of': { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (err) {
    return fail((err as Error).message);
  }
})();
if (values.help) {
  console.log(
    `${usage}\n  --scale   multiplies customers, resources, projects and time (default SEED_SCALE or 1)\n  --seed    PRNG seed (default 42)\n  --as-of   the demo's "today" (default: Monday of the current week, UTC)\n  --force   wipe the seeded tables of a non-empty database first`,
  );
  process.exit(0);
}

const config = loadConfigOrExit();
const scale = values.scale === undefined ? config.seedScale : Number(values.scale);
if (!(Number.isFinite(scale) && scale > 0 && scale <= 1000)) fail(`--scale must be a number in (0, 1000], got ${values.scale}`);
const seed = values.seed === undefined ? 42 : Number(values.seed);
if (!Number.isInteger(seed)) fail(`--seed must be an integer, got ${values.seed}`);
const asOf = values['as-of'] ?? defaultAsOf(systemClock.now());
if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))
  fail(`--as-of must be a date YYYY-MM-DD, got ${asOf}`);

const started = performance.now();
const logger = createLogger(config.logLevel, { service: 'seed' });
await withDatabase(
  config,
  async ({ db }) => {
    await migrateAll(db, SYSTEMS);
    if (!(await isDatabaseEmpty(db))) {
      if (!values.force) {
        console.error('The database already has data: nothing seeded. Use --force to wipe the demo tables and seed again.');
        process.exitCode = 1;
        return;
      }
      console.log('--force: emptying the seeded tables.');
      await resetDatabase(db);
    }
    try {
      const { counts, generateMs, writeMs, world } = await seedDemo(db, { scale, seed, asOf });
      const width = Math.max(...Object.keys(counts).map((k) => k.length));
      console.log(`Seeded scale ${scale}, seed ${seed}, as of ${asOf} (billing cutoff ${world.highlights.billingCutoff}):`);
      for (const [table, n] of Object.entries(counts)) console.log(`  ${table.padEnd(width)}  ${String(n).padStart(10)}`);
      const total = Object.values(counts).reduce((s, n) => s + n, 0);
      console.log(`  ${'total rows'.padEnd(width)}  ${String(total).padStart(10)}`);
      console.log(
        `Demo cases: customers without a financial master ${world.highlights.customersWithoutMaster.join(', ')}; without a tax code ${world.highlights.customerWithoutTaxCode}; deals ready to win ${world.highlights.opportunitiesReadyToWin.join(', ')}.`,
      );
      console.log(
        `Generated in ${(generateMs / 1000).toFixed(1)} s, written in ${(writeMs / 1000).toFixed(1)} s, ${((performance.now() - started) / 1000).toFixed(1)} s in all.`,
      );
    } catch (err) {
      if (err instanceof SeedRefusedError) {
        console.error(err.message);
        process.exitCode = 1;
        return;
      }
      throw err;
    }
  },
  { logger },
).catch((err) => failStartup(err, logger));
