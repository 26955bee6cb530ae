import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.ts';
import { type SyncRuntime, startSync } from '../../sync-jobs/runtime.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// compose.yaml starts six subgraphs and two workers at once against a fresh database; each process
// installs the job queues. Before the fix, pg-boss's create_queue deadlocked with itself and some of
// them exited at start-up with "deadlock detected".
let database: TestDatabase;
const runtimes: SyncRuntime[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.stop()));
  await database?.drop();
});

describe('sync engines starting together on a fresh database', () => {
  it('all start, and the queues exist once each', async () => {
    const logger = createLogger('silent');
    const started = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        startSync({ connectionString: database.url, db: database.db, logger, work: i % 4 === 0 }).then((r) => {
          runtimes.push(r);
          return r;
        }),
      ),
    );
    expect(started.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
    const queues = await database.pool.query(`select name, count(*)::int n from pgboss.queue group by name`);
    expect(queues.rows.length).toBeGreaterThan(0);
    expect(queues.rows.every((q) => q.n === 1)).toBe(true);
  }, 60_000);
});
