import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { ok, waitForJobStatus } from './helpers.ts';

// A worker killed with SIGKILL in the middle of a job leaves no partial effect, and another worker
// completes the job within a minute (pg-boss expires the dead worker's claim, our ledger records the
// lost attempt).
const WORKER = fileURLToPath(new URL('../support/worker-child.ts', import.meta.url));
let g: TestGraph;
let oppId = '';
const children: ChildProcess[] = [];

function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

beforeAll(async () => {
  g = await startTestGraph(
    async (d) => {
      oppId = (await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' })).world.highlights.opportunitiesReadyToWin[0];
    },
    { sync: 'enqueue-only' },
  );
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await g?.stop();
});

describe('a sync worker killed mid-job', () => {
  it('leaves no partial effect, and a restarted worker completes the job within 60 seconds', async () => {
    // Hold the lock project creation takes, so the worker stops mid-flow: after its first writes
    // (customer reference, rate card), before the project.
    const blocker = new pg.Client(g.database.url);
    await blocker.connect();
    await blocker.query('select pg_advisory_lock(hashtext($1))', [`psa.project-for-opportunity:${oppId}`]);

    const worker = await startWorker(g.database.url);
    ok(await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: oppId }));
    const jobId = (await g.database.pool.query(`select id from sync.jobs where kind = 'OPPORTUNITY_WON' and source_id = $1`, [oppId]))
      .rows[0].id as string;
    await waitForJobStatus(g, jobId, ['RUNNING']);
    // Wait until the worker is really blocked inside the flow's transaction: a kill before that point
    // would prove nothing about partial effects.
    let blocked = false;
    for (let i = 0; i < 100 && !blocked; i++) {
      const waiting = await g.database.pool.query(`select count(*)::int n from pg_locks where locktype = 'advisory' and not granted`);
      blocked = waiting.rows[0].n > 0;
      if (!blocked) await new Promise((r) => setTimeout(r, 100));
    }
    expect(blocked).toBe(true);
    const killedAt = Date.now();
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    await blocker.query('select pg_advisory_unlock_all()');
    await blocker.end();

    // Nothing of the interrupted attempt persisted in any system.
    const partial = await g.database.pool.query(
      `select (select count(*) from psa.rate_cards where id = $1)::int rc, (select count(*) from psa.projects where opportunity_id = $2)::int p`,
      [`rc_${oppId}`, oppId],
    );
    expect(partial.rows[0]).toEqual({ rc: 0, p: 0 });

    await startWorker(g.database.url);
    const done = await waitForJobStatus(g, jobId, ['SUCCEEDED', 'EXCEPTION', 'DEAD_LETTERED'], 60_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    const attempts = ok<any>(
      await g.request(`query($id: ID!) { syncJob(id: $id) { attempts { attemptNo outcome error { code } } } }`, { id: jobId }),
    );
    expect(attempts.syncJob.attempts).toEqual([
      { attemptNo: 1, outcome: 'FAILED', error: { code: 'WORKER_LOST' } },
      { attemptNo: 2, outcome: 'SUCCEEDED', error: null },
    ]);
    const project = await g.database.pool.query(`select status from psa.projects where opportunity_id = $1`, [oppId]);
    expect(project.rows).toEqual([{ status: 'ACTIVE' }]);
  }, 90_000);
});
