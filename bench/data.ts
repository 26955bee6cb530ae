import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { ensureDatabase } from '../lib/database-runtime.ts';
import { createDb, createPool } from '../lib/db.ts';
import { type Durability, type RunningPostgres, startEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import { migrateAll } from '../lib/migrate.ts';
import { seedDemo } from '../seed/index.ts';
import { SYSTEMS } from '../subgraphs/index.ts';

/** The demo world is generated for a fixed day, so a cached data set never depends on today's date. */
export const BENCH_AS_OF = '2026-11-23';
export const BENCH_SEED = 42;
const TEMPLATE = 'ledgerline_bench_seed';

export type BenchData = {
  postgres: RunningPostgres;
  /** The run's own database, cloned from the pristine seeded template and dropped at the end. */
  url: string;
  adminUrl: string;
  scale: number;
  cached: boolean;
  seedMs: number;
  cloneMs: number;
  postgresVersion: string;
  durability: Durability;
  counts: Record<string, number>;
  drop: () => Promise<void>;
};

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(p)));
    else if (/\.(ts|sql|yaml)$/.test(entry.name)) out.push(p);
  }
  return out.sort();
}

/**
 * What the cached data set depends on: every migration and the generator. Any change to them (or a
 * different scale) makes a new key, and the cache is rebuilt.
 */
async function dataKey(root: string, scale: number): Promise<string> {
  const h = createHash('sha256');
  h.update(`scale=${scale};seed=${BENCH_SEED};asOf=${BENCH_AS_OF};`);
  const subgraphs = path.join(root, 'subgraphs');
  const dirs = [
    path.join(root, 'seed'),
    ...(await readdir(subgraphs)).map((s) => path.join(subgraphs, s, 'migrations')).filter((d) => existsSync(d)),
  ];
  for (const d of dirs.sort()) for (const f of await filesUnder(d)) h.update(path.relative(root, f)).update(await readFile(f));
  return h.digest('hex').slice(0, 16);
}

/**
 * An embedded PostgreSQL whose data directory is kept under `.ledgerline/bench-pg-<scale>` between
 * runs. It holds a migrated, seeded template database; each run works on a fresh clone of it
 * (`CREATE DATABASE ... TEMPLATE`, a file copy), so the writes of one run never leak into the next.
 * The template is rebuilt when the migrations or the generator change (`key` file).
 */
export async function prepareData(root: string, scale: number, log: (msg: string) => void): Promise<BenchData> {
  const base = path.join(root, '.ledgerline');
  await mkdir(base, { recursive: true });
  // As root the embedded server runs as an unprivileged user, which must be able to enter the path.
  await chmod(base, 0o755).catch(() => undefined);
  const dir = path.join(base, `bench-pg-${scale}`);
  const keyFile = path.join(dir, 'key');
  const key = await dataKey(root, scale);
  const cachedKey = existsSync(keyFile) ? (await readFile(keyFile, 'utf8')).trim() : '';
  let cached = cachedKey === key;
  if (!cached && existsSync(dir)) {
    log(`data cache ${dir} is stale (migrations or generator changed): rebuilding`);
    await rm(dir, { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755).catch(() => undefined);
  // BENCH_DURABILITY=throwaway runs the server as the tests do (fsync, synchronous commit and full-page
  // writes off): against a durable run of the same code, it measures what durability costs.
  const durability: Durability = process.env.BENCH_DURABILITY === 'throwaway' ? 'throwaway' : 'durable';
  const postgres = await startEmbeddedPostgres(path.join(dir, 'data'), { quiet: true, durability });
  const adminUrl = postgres.url();
  let seedMs = 0;
  try {
    const admin = new pg.Client(adminUrl);
    await admin.connect();
    const hasTemplate = (await admin.query('select 1 from pg_database where datname = $1', [TEMPLATE])).rowCount === 1;
    await admin.end();
    if (cached && !hasTemplate) cached = false;
    if (!cached) {
      log(`seeding scale ${scale} into ${dir} (once; later runs reuse it)`);
      const t0 = performance.now();
      const a = new pg.Client(adminUrl);
      await a.connect();
      await a.query(`drop database if exists ${TEMPLATE} with (force)`);
      await a.end();
      await ensureDatabase(adminUrl, TEMPLATE);
      const db = createDb<any>(createPool(postgres.url(TEMPLATE), 4));
      await migrateAll(db, SYSTEMS);
      await seedDemo(db, { scale, seed: BENCH_SEED, asOf: BENCH_AS_OF });
      await db.destroy();
      seedMs = performance.now() - t0;
      await writeFile(keyFile, `${key}\n`);
    }
    const name = `ledgerline_bench_${process.pid}_${Date.now().toString(36)}`;
    const t1 = performance.now();
    const a = new pg.Client(adminUrl);
    await a.connect();
    // Leftovers of an interrupted run.
    for (const r of (await a.query(`select datname from pg_database where datname like 'ledgerline_bench_%' and datname <> $1`, [TEMPLATE]))
      .rows) {
      await a.query(`drop database if exists "${r.datname}" with (force)`);
    }
    await a.query(`create database ${name} template ${TEMPLATE}`);
    const cloneMs = performance.now() - t1;
    const postgresVersion = (await a.query('show server_version')).rows[0].server_version as string;
    await a.end();
    const url = postgres.url(name);
    const c = new pg.Client(url);
    await c.connect();
    const counts: Record<string, number> = {};
    for (const t of [
      'crm.customers',
      'psa.projects',
      'psa.resources',
      'time.time_entries',
      'billing.billable_items',
      'billing.invoices',
      'erp.journal_lines',
    ]) {
      counts[t] = Number((await c.query(`select count(*)::bigint n from ${t}`)).rows[0].n);
    }
    await c.end();
    return {
      postgres,
      url,
      adminUrl,
      scale,
      cached,
      seedMs,
      cloneMs,
      postgresVersion,
      durability,
      counts,
      drop: async () => {
        const d = new pg.Client(adminUrl);
        await d.connect();
        await d.query(`drop database if exists ${name} with (force)`);
        await d.end();
        await postgres.stop();
      },
    };
  } catch (err) {
    await postgres.stop();
    throw err;
  }
}
