import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { inject } from 'vitest';
import { createDb, createPool } from '../../lib/db.ts';
import { TEMPLATE_DATABASE } from './constants.ts';

export type TestDatabase = {
  url: string;
  pool: pg.Pool;
  db: Kysely<any>;
  /** Every SQL statement run through `db` since the last reset. */
  statements: string[];
  drop: () => Promise<void>;
};

/** A fresh, migrated, empty database for one test file, cloned from the template in milliseconds. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl');
  const name = `ledgerline_t_${randomBytes(6).toString('hex')}`;
  const admin = createPool(adminUrl, 1);
  await admin.query(`create database ${name} template ${TEMPLATE_DATABASE}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), 10);
  const statements: string[] = [];
  const db = createDb<any>(pool, { onQuery: (sql) => statements.push(sql) });
  return {
    url: url.toString(),
    pool,
    db,
    statements,
    drop: async () => {
      await db.destroy();
      const a = createPool(adminUrl, 1);
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
