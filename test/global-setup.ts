import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureDatabase } from '../lib/database-runtime.ts';
import { createDb, createPool } from '../lib/db.ts';
import { startEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import { migrateAll } from '../lib/migrate.ts';
import { SYSTEMS } from '../subgraphs/index.ts';
import { TEMPLATE_DATABASE } from './support/constants.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}

/**
 * One PostgreSQL for the whole run: the embedded one in a fresh temporary directory, or the server
 * of DATABASE_URL (which must allow CREATE DATABASE). The schema is migrated once into a template.
 */
export default async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL;
  let stop = async () => undefined as undefined;
  if (!adminUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ledgerline-test-'));
    // As root the server runs as an unprivileged user, which must be able to enter the directory.
    await chmod(dir, 0o755);
    const pg = await startEmbeddedPostgres(path.join(dir, 'data'), { quiet: true, durability: 'throwaway' });
    adminUrl = pg.url();
    stop = async () => {
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  try {
    await prepareTemplate(adminUrl);
  } catch (err) {
    await stop();
    throw err;
  }
  const admin = new URL(adminUrl);
  admin.pathname = '/postgres';
  project.provide('adminUrl', admin.toString());
  return stop;
}

async function prepareTemplate(adminUrl: string): Promise<void> {
  const admin = new URL(adminUrl);
  admin.pathname = '/postgres';
  const pool = createPool(admin.toString(), 2);
  await pool.query(`drop database if exists ${TEMPLATE_DATABASE}`);
  await pool.end();
  await ensureDatabase(admin.toString(), TEMPLATE_DATABASE);
  const templateUrl = new URL(admin.toString());
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  const db = createDb<any>(createPool(templateUrl.toString(), 2));
  await migrateAll(db, SYSTEMS);
  await db.destroy();
}
