import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { ok, waitForJob } from './helpers.ts';

// A worker whose host clock is far from the database's (here: three years ahead, as under the CI's
// shifted clock) must still record jobs whose timestamps come from one clock. The ledger mixed the
// database's created_at with the worker's started_at and finished_at: latencies were three years
// long and syncJobStats failed on an int overflow.
let g: TestGraph;
let skewed: TestGraph;
let oppId = '';
beforeAll(async () => {
  g = await startTestGraph(
    async (d) => {
      oppId = (await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' })).world.highlights.opportunitiesReadyToWin[0];
    },
    { sync: true },
  );
  // Only Date moves (timers stay real): this process's wall clock runs three years ahead of PostgreSQL's.
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: Date.now() + 3 * 365 * 86_400_000 });
  // A token of that clock (the harness's own was issued three years earlier, by this process's reckoning).
  const token = await g.token({ role: 'admin' });
  skewed = {
    ...g,
    request: (query, variables, headers = {}) => g.request(query, variables, { authorization: `Bearer ${token}`, ...headers }),
  };
});
afterAll(async () => {
  vi.useRealTimers();
  await g?.stop();
});

describe('job timestamps under clock skew between workers and the database', () => {
  it('a job’s created, started and finished times come from one clock', async () => {
    ok(await skewed.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: oppId }));
    const job = await waitForJob(skewed, 'OPPORTUNITY_WON', oppId);
    expect(job.status).toBe('SUCCEEDED');
    const view = ok<any>(
      await skewed.request(`query($id: ID!) { syncJob(id: $id) { createdAt startedAt finishedAt durationMs } }`, { id: job.id }),
    );
    const { createdAt, startedAt, finishedAt, durationMs } = view.syncJob;
    expect(Date.parse(startedAt)).toBeGreaterThanOrEqual(Date.parse(createdAt));
    expect(Date.parse(finishedAt) - Date.parse(createdAt)).toBeLessThan(60_000);
    expect(durationMs).toBeGreaterThanOrEqual(0);
    expect(durationMs).toBeLessThan(60_000);
    const stats = ok<any>(await skewed.request(`{ syncJobStats { kind p50LatencyMs } }`));
    const won = stats.syncJobStats.find((s: { kind: string }) => s.kind === 'OPPORTUNITY_WON');
    expect(won.p50LatencyMs).toBeGreaterThanOrEqual(0);
    expect(won.p50LatencyMs).toBeLessThan(60_000);
  });
});
