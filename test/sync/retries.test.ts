import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { ok, waitForJob, waitForJobStatus } from './helpers.ts';

// Transient failures (here: a lock another session holds past the lock timeout) are retried with
// backoff, then dead-lettered; an operator retry after the cause is gone completes the job.
let g: TestGraph;
let oppId = '';
beforeAll(async () => {
  g = await startTestGraph(
    async (d) => {
      oppId = (await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' })).world.highlights.opportunitiesReadyToWin[2];
    },
    { sync: true, tuning: { maxAttempts: 3, backoffBaseSeconds: 1, lockTimeoutMs: 300 } },
  );
});
afterAll(async () => g?.stop());

describe('transient failures', () => {
  it('retry with backoff, dead-letter after the attempt limit, and complete on an operator retry', async () => {
    const blocker = new pg.Client(g.database.url);
    await blocker.connect();
    await blocker.query('select pg_advisory_lock(hashtext($1))', [`psa.project-for-opportunity:${oppId}`]);
    try {
      ok(await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: oppId }));
      const dead = await waitForJob(g, 'OPPORTUNITY_WON', oppId, 30_000);
      expect(dead.status).toBe('DEAD_LETTERED');
      expect(dead.lastError).toMatchObject({ code: 'SQLSTATE_55P03', system: 'database' });
      const history = ok<any>(
        await g.request(`query($id: ID!) { syncJob(id: $id) { attempts { outcome started finished } events { status event } } }`, {
          id: dead.id,
        }),
      );
      expect(history.syncJob.attempts.map((a: any) => a.outcome)).toEqual(['FAILED', 'FAILED', 'FAILED']);
      // Backoff: each retry starts at least a second (the smallest backoff) after the failure before it.
      const attempts = history.syncJob.attempts as { started: string; finished: string }[];
      for (let i = 1; i < attempts.length; i++) {
        expect(Date.parse(attempts[i]!.started) - Date.parse(attempts[i - 1]!.finished), `retry ${i}`).toBeGreaterThanOrEqual(900);
      }
      expect(history.syncJob.events.map((e: any) => e.event)).toEqual([
        'QUEUED',
        'STARTED',
        'FAILED_WILL_RETRY',
        'STARTED',
        'FAILED_WILL_RETRY',
        'STARTED',
        'DEAD_LETTERED',
      ]);
      expect((await g.database.pool.query('select 1 from psa.projects where opportunity_id = $1', [oppId])).rowCount).toBe(0);
    } finally {
      await blocker.end();
    }
    const job = await waitForJob(g, 'OPPORTUNITY_WON', oppId);
    const retried = ok<any>(await g.request(`mutation($id: ID!) { retrySyncJob(id: $id) { ok job { status } } }`, { id: job.id }));
    expect(retried.retrySyncJob).toEqual({ ok: true, job: { status: 'QUEUED' } });
    const done = await waitForJobStatus(g, job.id, ['SUCCEEDED', 'DEAD_LETTERED', 'EXCEPTION']);
    expect(done.status).toBe('SUCCEEDED');
  }, 60_000);

  it('operator actions follow the status: a succeeded job cannot be cancelled', async () => {
    const { rows } = await g.database.pool.query(`select id from sync.jobs where kind = 'OPPORTUNITY_WON' and source_id = $1`, [oppId]);
    const cancel = ok<any>(await g.request(`mutation($id: ID!) { cancelSyncJob(id: $id) { ok errors { code } } }`, { id: rows[0].id }));
    // A succeeded job cannot be cancelled.
    expect(cancel.cancelSyncJob).toEqual({ ok: false, errors: [{ code: 'INVALID_STATE_TRANSITION' }] });
  });
});
