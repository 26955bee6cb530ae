import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The engine's module installs the guard; importing it the way production does keeps the test honest.
import '../../sync-jobs/engine.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The PostgreSQL restart drill (npm run bench -- --only pgrestart) killed a worker: pg-boss records a
// handler's outcome without awaiting it, the database was shutting down at that moment, and the
// unhandled rejection ("the database system is shutting down", 57P03) ended the process.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('a job outcome that cannot be recorded', () => {
  it('is reported as an error, does not end the process, and the job is handed out again', async () => {
    let outage = false;
    // pg-boss on our pool, except that recording outcomes fails while the "database" is down.
    const db = {
      executeSql: async (text: string, values?: unknown[]) => {
        if (outage && /SET completed_on = now\(\)/.test(text)) {
          throw Object.assign(new Error('the database system is shutting down'), { code: '57P03' });
        }
        return database.pool.query(text, values as unknown[]);
      },
    };
    const boss = new PgBoss({ db, schema: 'pgboss_guard_test', schedule: false, supervise: true, maintenanceIntervalSeconds: 1 });
    const errors: unknown[] = [];
    boss.on('error', (e) => errors.push(e));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await boss.start();
      await boss.createQueue('guard', { name: 'guard', expireInSeconds: 1, retryLimit: 3, retryDelay: 0 });
      const id = await boss.send('guard', { n: 1 });
      const runs: number[] = [];
      await boss.work('guard', { pollingIntervalSeconds: 0.5 }, async () => {
        runs.push(Date.now());
        // The first run succeeds but its outcome cannot be written; the second is recorded.
        outage = runs.length === 1;
      });
      const deadline = Date.now() + 20_000;
      while ((await boss.getJobById('guard', id!))?.state !== 'completed' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(unhandled).toEqual([]);
      expect(errors.map((e) => String((e as Error).message))).toContain('the database system is shutting down');
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect((await boss.getJobById('guard', id!))?.state).toBe('completed');
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await boss.stop({ graceful: false, wait: true });
    }
  }, 40_000);
});
