import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Config } from './config.ts';
import { CONNECT_TIMEOUT_MS, createDb, createPool } from './db.ts';
import { type RunningPostgres, reachableByOtherUsers, startEmbeddedPostgres } from './embedded-postgres.ts';
import type { Logger } from './logger.ts';

export type OpenDatabase = {
  url: string;
  embedded: boolean;
  pool: pg.Pool;
  db: Kysely<any>;
  close: () => Promise<void>;
};

const EMBEDDED_DATABASE = 'ledgerline';

/** Creates `name` on the server behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * The database the process works on: `DATABASE_URL` when set, otherwise the embedded PostgreSQL
 * under the data directory, started here and stopped by `close()`.
 */
/**
 * Where the embedded server keeps its data: `<data dir>/pg`. A clone in root's home folder (mode 700)
 * cannot be entered by the unprivileged user PostgreSQL runs as when started by root; unless the
 * data directory was chosen explicitly, its cluster then lives under /var/lib/ledgerline, named after
 * the project folder, and the process says so.
 */
export function embeddedDataDir(config: Config): { dir: string; relocated: boolean } {
  const dir = path.resolve(config.dataDir, 'pg');
  if (process.getuid?.() !== 0 || config.dataDirExplicit || reachableByOtherUsers(path.resolve(config.dataDir)))
    return { dir, relocated: false };
  const project = path.resolve(config.dataDir, '..');
  const key = createHash('sha256').update(project).digest('hex').slice(0, 8);
  return { dir: path.join('/var/lib/ledgerline', `${path.basename(project)}-${key}`, 'pg'), relocated: true };
}

export async function openDatabase(config: Config, opts: { quiet?: boolean; logger?: Logger } = {}): Promise<OpenDatabase> {
  let embedded: RunningPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    const { dir, relocated } = embeddedDataDir(config);
    if (relocated)
      opts.logger?.warn(`PostgreSQL's unprivileged user cannot enter ${path.resolve(config.dataDir)}: its data lives in ${dir}`, {
        dataDir: dir,
      });
    embedded = await startEmbeddedPostgres(dir, { quiet: opts.quiet ?? true, durability: 'durable' });
    await ensureDatabase(embedded.url(), EMBEDDED_DATABASE);
    url = embedded.url(EMBEDDED_DATABASE);
  }
  const pool = createPool(url, config.dbPoolSize);
  const db = createDb<any>(pool, { preparedStatements: config.dbPreparedStatements });
  let closed = false;
  return {
    url,
    embedded: Boolean(embedded),
    pool,
    db,
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
      await embedded?.stop();
    },
  };
}

export async function withDatabase<T>(config: Config, fn: (d: OpenDatabase) => Promise<T>, opts: { logger?: Logger } = {}): Promise<T> {
  const d = await openDatabase(config, opts);
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}
