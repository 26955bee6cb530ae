import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/embedded-postgres.ts';
import type { PartContext } from '../context.ts';
import { gql } from '../http.ts';
import { BENCH_AUTH_SECRET } from '../security.ts';

export type ColdStartRow = { start: 'cold' | 'warm'; seconds: number; ok: boolean; note?: string };

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Spawns `npm start` on `dataDir` and a free port; resolves with the seconds to the first answered query. */
async function startOnce(dataDir: string, timeoutMs: number): Promise<ColdStartRow & { start: 'cold' }> {
  const port = await freePort();
  const t0 = performance.now();
  // Its own process group, so that npm, tsx and node are all stopped together (and only they).
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LEDGERLINE_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      AUTH_SECRET: BENCH_AUTH_SECRET,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    for (;;) {
      if (exited) return { start: 'cold', seconds: NaN, ok: false, note: `exited: ${stderr.slice(-300)}` };
      if (performance.now() - t0 > timeoutMs)
        return { start: 'cold', seconds: NaN, ok: false, note: `no answer within ${timeoutMs / 1000} s` };
      try {
        const r = await gql(url, '{ customers(first: 1) { totalCount } }');
        if (r.data) return { start: 'cold', seconds: (performance.now() - t0) / 1000, ok: true };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    if (!exited && child.pid) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      process.kill(-child.pid, 'SIGTERM');
      const t = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 15_000);
      await gone;
      clearTimeout(t);
      // npm's children may outlive npm by a moment: wait for the group to be empty.
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(-child.pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

/**
 * Cold start: `npm start` on a fresh data directory (initdb, migrations, demo seed at scale 1, the six
 * subgraphs, gateway and workers) to the first answered query; then again on the same directory (warm:
 * the data exists, so no initdb and no seed).
 */
export async function runColdStart(ctx: PartContext): Promise<ColdStartRow[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ledgerline-bench-start-'));
  await chmod(dir, 0o755);
  try {
    const rows: ColdStartRow[] = [];
    const cold = await startOnce(path.join(dir, 'data'), 180_000);
    rows.push(cold);
    ctx.log(`  cold start: ${cold.ok ? `${cold.seconds.toFixed(1)} s` : cold.note}`);
    if (cold.ok) {
      const warm = await startOnce(path.join(dir, 'data'), 120_000);
      rows.push({ ...warm, start: 'warm' });
      ctx.log(`  warm start: ${warm.ok ? `${warm.seconds.toFixed(1)} s` : warm.note}`);
    }
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
