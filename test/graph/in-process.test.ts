import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';

// npm start's default: the gateway calls its subgraphs in its own process. Same answers, same codes,
// same row rules as over HTTP.
let g: TestGraph;
beforeAll(async () => {
  g = await startTestGraph(
    async (d) => {
      await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
    },
    { transport: 'in-process' },
  );
});
afterAll(async () => g?.stop());

describe('in-process subgraphs', () => {
  it('answer the cross-graph walk with balanced journals', async () => {
    const res = await g.request(
      `{ customers(first: 10) { nodes { opportunities(stage: CLOSED_WON) { project { timeEntries(first: 2, filter: { billingStatus: BILLED }) { nodes { invoice { number journalEntry { lines { debit { minorUnits } credit { minorUnits } } } } } } } } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const lines = JSON.stringify(res.body.data).match(/"minorUnits":"\d+"/g) ?? [];
    expect(lines.length).toBeGreaterThan(10);
  });

  it('keep error codes and hide internal details', async () => {
    const res = await g.request(`{ customers(after: "garbage") { totalCount } }`);
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_CURSOR']);
  });

  it('keep the row rules: a portal user sees only its own customer', async () => {
    const token = await g.token({ role: 'portal', customerId: 'cus_0001' });
    const res = await g.request(
      `{ invoices(first: 50) { nodes { customer { id } } } customer(id: "cus_0002") { name } }`,
      {},
      { authorization: `Bearer ${token}` },
    );
    expect(res.body.data.customer).toBeNull();
    for (const n of res.body.data.invoices.nodes) expect(n.customer.id).toBe('cus_0001');
  });
});
