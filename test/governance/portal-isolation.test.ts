import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { collect, wsClient } from '../subscriptions/clients.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';

// A portal token for customer A reaches nothing of customer B, by any path.
let g: TestGraph;
let A = '';
let B = '';
let asA: Record<string, string>;
let bInvoice = '';
let bProject = '';
let bOpportunity = '';

beforeAll(async () => {
  g = await startTestGraph(
    async (d) => {
      await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
    },
    { sync: true },
  );
  // Two customers that both have projects and invoices.
  const rows = (
    await g.database.pool.query(
      `select customer_id, min(id) inv, min(project_id) prj from billing.invoices group by customer_id order by customer_id limit 2`,
    )
  ).rows;
  [A, B] = rows.map((r) => r.customer_id);
  bInvoice = rows[1].inv;
  bProject = rows[1].prj;
  bOpportunity = (await g.database.pool.query(`select opportunity_id from psa.projects where id = $1`, [bProject])).rows[0].opportunity_id;
  asA = { authorization: `Bearer ${await g.token({ role: 'portal', customerId: A, sub: 'portal-a' })}` };
});
afterAll(async () => g?.stop());

const noB = (body: unknown) => expect(JSON.stringify(body)).not.toContain(B);

describe('portal isolation', () => {
  it('lists: invoices, projects, time entries, receivables, sync jobs return only its own customer', async () => {
    const res = await g.request(
      `{ invoices(first: 100) { totalCount nodes { customer { id } } } projects(first: 100) { totalCount nodes { customer { id } } }
         timeEntries(first: 50) { totalCount nodes { customer { id } } } receivables(first: 50) { nodes { customer { id } } }
         syncJobs(first: 50) { nodes { customer { id } } } opportunities(first: 50) { nodes { customer { id } } } }`,
      {},
      asA,
    );
    expect(res.body.errors).toBeUndefined();
    for (const list of Object.values(res.body.data) as any[]) for (const n of list.nodes) expect(n.customer.id).toBe(A);
    expect(res.body.data.invoices.totalCount).toBeGreaterThan(0);
    const own = (await g.database.pool.query('select count(*)::int n from billing.invoices where customer_id = $1', [A])).rows[0].n;
    expect(res.body.data.invoices.totalCount).toBe(own);
    noB(res.body);
  });

  it('direct lookups of the other customer’s objects give null', async () => {
    const res = await g.request(
      `query($c: ID!, $i: ID!, $p: ID!, $o: ID!) { customer(id: $c) { name } invoice(id: $i) { number } project(id: $p) { code } opportunity(id: $o) { name } }`,
      { c: B, i: bInvoice, p: bProject, o: bOpportunity },
      asA,
    );
    expect(res.body.data).toEqual({ customer: null, invoice: null, project: null, opportunity: null });
  });

  it('filters naming the other customer are overridden, not obeyed', async () => {
    const res = await g.request(
      `query($b: ID) { invoices(filter: { customerId: $b }) { nodes { customer { id } } } projects(filter: { customerId: $b }) { nodes { id } } }`,
      { b: B },
      asA,
    );
    for (const n of res.body.data.invoices.nodes) expect(n.customer.id).toBe(A);
    noB(res.body);
  });

  it('nested paths: the hierarchy, a consultant’s other work and totals across customers are closed', async () => {
    const res = await g.request(
      `query($a: ID!) { customer(id: $a) { name parent { name } children { name } projects { code timeEntries(first: 5) { nodes { resource { name timeEntries(first: 5) { totalCount } } } } } } }`,
      { a: A },
      asA,
    );
    // The consultant's own timeline (all customers) is refused, not silently truncated.
    expect(res.body.errors?.some((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
    noB(res.body);
    const hierarchy = await g.request(`query($a: ID!) { customer(id: $a) { parent { name } children { id } } }`, { a: A }, asA);
    expect(hierarchy.body.data.customer.parent).toBeNull();
    expect(hierarchy.body.data.customer.children).toEqual([]);
  });

  it('aggregates across customers are refused; its own aggregates are its own', async () => {
    for (const q of [
      '{ syncJobStats { count } }',
      '{ reconciliation { discrepancyCount } }',
      '{ journalEntries(first: 1) { totalCount } }',
      '{ customers(first: 1) { totalCount } }',
      '{ trialBalance(legalEntityId: "LE-US", periodCode: "2026-10") { rows { debit { amount } } } }',
    ]) {
      const res = await g.request(q, {}, asA);
      expect(
        res.body.errors?.map((e) => e.extensions?.code),
        q,
      ).toContain('FORBIDDEN');
    }
    const pipeline = await g.request(`{ pipelineSummary { count } }`, {}, asA);
    const ownDeals = (await g.database.pool.query('select count(*)::int n from crm.opportunities where customer_id = $1', [A])).rows[0].n;
    expect(pipeline.body.data.pipelineSummary.reduce((s: number, p: any) => s + p.count, 0)).toBe(ownDeals);
    const totals = await g.request(`{ invoiceTotals { total { amount } } }`, {}, asA);
    const own = (
      await g.database.pool.query(
        `select sum(total_minor)::bigint s from billing.invoices where customer_id = $1 and status not in ('DRAFT','VOID')`,
        [A],
      )
    ).rows[0].s;
    const sum = totals.body.data.invoiceTotals.reduce((s: bigint, t: any) => s + BigInt(t.total.amount.replace('.', '')), 0n);
    expect(String(sum)).toBe(String(own));
  });

  it('entity paths from its own invoice stay within its data (journal lines, receivable, lineage)', async () => {
    const res = await g.request(
      `{ invoices(first: 3) { nodes { number journalEntry { lines { customer { id } invoiceLine { billableItems { timeEntry { customer { id } } } } } } receivable { customer { id } } } } }`,
      {},
      asA,
    );
    expect(res.body.errors).toBeUndefined();
    noB(res.body);
  });

  it('a subscription only carries its own customer’s jobs', async () => {
    const client = wsClient(g.url, { Authorization: asA.authorization });
    const own = (
      await g.database.pool.query(`select id from crm.opportunities where customer_id = $1 and stage = 'NEGOTIATION' limit 1`, [A])
    ).rows[0]?.id;
    const other = (
      await g.database.pool.query(
        `select o.id from crm.opportunities o join erp.customer_masters m on m.customer_id = o.customer_id where o.customer_id <> $1 and o.stage = 'NEGOTIATION' and m.tax_code is not null limit 1`,
        [A],
      )
    ).rows[0].id;
    const sub = collect(
      client,
      `subscription { syncJobUpdated { status job { customer { id } source { id } } } }`,
      {},
      (es) =>
        es.some(
          (e: any) =>
            e.syncJobUpdated.job.source.id === own && e.syncJobUpdated.status !== 'QUEUED' && e.syncJobUpdated.status !== 'RUNNING',
        ),
      20_000,
    );
    await sub.subscribed;
    await new Promise((r) => setTimeout(r, 200));
    await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: other });
    if (own) await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: own });
    const events = own ? await sub.events : [];
    for (const e of events as any[]) expect(e.syncJobUpdated.job.customer.id).toBe(A);
    const global = collect(client, `subscription { syncEvents { sequence } }`, {}, () => true, 5000);
    await expect(global.events).rejects.toThrow(/FORBIDDEN|not available/);
    await client.dispose();
  });
});
