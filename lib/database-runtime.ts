import path from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Config } from './config.ts';
import { CONNECT_TIMEOUT_MS, createDb, createPool } from './db.ts';
import { type RunningPostgres, startEmbeddedPostgres } from './embedded-postgres.ts';

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
export async function openDatabase(config: Config, opts: { quiet?: boolean } = {}): Promise<OpenDatabase> {
  let embedded: RunningPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'), { quiet: opts.quiet ?? true, durability: 'durable' });
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

export async function withDatabase<T>(config: Config, fn: (d: OpenDatabase) => Promise<T>): Promise<T> {
  const d = await openDatabase(config);
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}
