import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';

// PostgreSQL going away under load (a restart, a failover, an administrator's terminate) fails the
// requests in flight and nothing else: npm start died of an unhandled 'error' event (57P01) from a
// pooled connection that was checked out at the time.
let g: TestGraph;
beforeAll(async () => {
  g = await startTestGraph(
    async (d) => {
      await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
    },
    { sync: true, transport: 'in-process' },
  );
});
afterAll(async () => g?.stop());

const READ = '{ customers(first: 20) { nodes { name projects { code hours { total } } invoices { number } } } }';

describe('connections terminated under load', () => {
  it('fail the requests in flight, then the hub answers again by itself', async () => {
    const admin = g.database.pool;
    let stop = false;
    const statuses: number[] = [];
    const load = Array.from({ length: 6 }, async () => {
      while (!stop) statuses.push((await g.request(READ)).status);
    });
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 150));
      // Every other session of this database ends at once, as in a server restart.
      await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      );
    }
    stop = true;
    await Promise.all(load);
    expect(statuses.length).toBeGreaterThan(0);
    // The process is alive (this line runs) and recovers: the next reads succeed.
    for (let i = 0; i < 5; i++) {
      const res = await g.request(READ);
      if (res.status === 200 && !res.body.errors) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const after = await g.request(READ);
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data.customers.nodes.length).toBe(20);
  }, 60_000);
});
