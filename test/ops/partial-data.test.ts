import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';

// One subgraph down takes its own fields with it, not the whole answer: a query mixing the CRM and
// billing returned data: null with billing down, because a non-null list above the failed field
// carried the null up to the root. Cross-system fields are nullable (SCHEMA_CHANGES.md, 2026-12-01).
let g: TestGraph;
beforeAll(async () => {
  g = await startTestGraph(async (d) => {
    await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
  });
});
afterAll(async () => g?.stop());

describe('partial data when a subgraph is down', () => {
  it('billing down: the customers and their names come back, their invoices are null, with an error', async () => {
    await g.stack.subgraphs.billing.stop();
    const res = await g.request('{ customers(first: 3) { nodes { name region invoices { number } } } invoices(first: 2) { totalCount } }');
    expect(res.status).toBe(200);
    expect(res.body.errors?.length).toBeGreaterThan(0);
    const nodes = res.body.data.customers.nodes as { name: string; invoices: unknown }[];
    expect(nodes).toHaveLength(3);
    for (const n of nodes) {
      expect(n.name).toMatch(/\S/);
      expect(n.invoices).toBeNull();
    }
    expect(res.body.data.invoices).toBeNull();
  });

  it('crm down: projects from psa keep their codes; their customers are null, with an error', async () => {
    await g.stack.subgraphs.crm.stop();
    const res = await g.request('{ projects(first: 3) { nodes { code customer { name } } } }');
    expect(res.status).toBe(200);
    expect(res.body.errors?.length).toBeGreaterThan(0);
    const nodes = res.body.data.projects.nodes as { code: string; customer: unknown }[];
    expect(nodes).toHaveLength(3);
    for (const n of nodes) {
      expect(n.code).toMatch(/\S/);
      expect(n.customer).toBeNull();
    }
  });
});
