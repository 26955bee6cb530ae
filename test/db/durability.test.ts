import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';
import { openDatabase } from '../../lib/database-runtime.ts';

// What `npm start` acknowledges survives a crash: its embedded PostgreSQL ran with fsync,
// synchronous_commit and full_page_writes off, so a power cut could lose approvals and issued
// invoice numbers or corrupt the cluster.
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('the embedded default is durable', () => {
  it('npm start’s database runs with fsync, synchronous commit and full-page writes on', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ledgerline-durable-'));
    dirs.push(dir);
    // As root the server runs as an unprivileged user, which must be able to enter the directory.
    await chmod(dir, 0o755);
    const database = await openDatabase(loadConfig({ LEDGERLINE_DATA_DIR: dir }));
    try {
      const setting = async (name: string) =>
        (await sql<{ v: string }>`select current_setting(${name}) as v`.execute(database.db)).rows[0]!.v;
      expect(database.embedded).toBe(true);
      expect(await setting('fsync')).toBe('on');
      expect(await setting('synchronous_commit')).toBe('on');
      expect(await setting('full_page_writes')).toBe('on');
    } finally {
      await database.close();
    }
  }, 60_000);
});
