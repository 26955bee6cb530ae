import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { collect, wsClient } from '../subscriptions/clients.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { waitForJob } from '../sync/helpers.ts';

// A portal token for customer A reaches nothing of customer B, by any path.
let g: TestGraph;
let A = '';
let B = '';
let asA: Record<string, string>;
let asB: Record<string, string>;
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
  // A: a parent company with invoices and an open deal (NEGOTIATION, with a tax code, so winning it
  // runs a sync job); B: its subsidiary, with invoices of its own. Every path below then has data on
  // both sides of the line, the hierarchy included.
  const a = (
    await g.database.pool.query(
      `select c.id from crm.customers c
        where exists (select 1 from billing.invoices i where i.customer_id = c.id)
          and exists (select 1 from crm.customers k join billing.invoices i on i.customer_id = k.id where k.parent_id = c.id)
          and exists (select 1 from crm.opportunities o join erp.customer_masters m on m.customer_id = o.customer_id
                       where o.customer_id = c.id and o.stage = 'NEGOTIATION' and m.tax_code is not null)
        order by c.id limit 1`,
    )
  ).rows;
  expect(a).toHaveLength(1);
  A = a[0].id;
  const b = (
    await g.database.pool.query(
      `select i.customer_id, min(i.id) inv, min(i.project_id) prj from billing.invoices i join crm.customers k on k.id = i.customer_id
        where k.parent_id = $1 group by i.customer_id order by i.customer_id limit 1`,
      [A],
    )
  ).rows;
  expect(b).toHaveLength(1);
  B = b[0].customer_id;
  bInvoice = b[0].inv;
  bProject = b[0].prj;
  bOpportunity = (await g.database.pool.query(`select opportunity_id from psa.projects where id = $1`, [bProject])).rows[0].opportunity_id;
  asA = { authorization: `Bearer ${await g.token({ role: 'portal', customerId: A, sub: 'portal-a' })}` };
  asB = { authorization: `Bearer ${await g.token({ role: 'portal', customerId: B, sub: 'portal-b' })}` };
});
afterAll(async () => g?.stop());

const noB = (body: unknown) => expect(JSON.stringify(body)).not.toContain(B);

/** The id of every `customer { id }` object anywhere in an answer. */
function customerIds(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) customerIds(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'customer' && v && typeof v === 'object' && 'id' in v) out.push((v as { id: string }).id);
      customerIds(v, out);
    }
  }
  return out;
}

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
    for (const [name, list] of Object.entries(res.body.data) as [string, any][]) {
      expect(list.nodes.length, name).toBeGreaterThan(0);
      for (const n of list.nodes) expect(n.customer.id, name).toBe(A);
    }
    expect(res.body.data.invoices.totalCount).toBeGreaterThan(0);
    const own = (await g.database.pool.query('select count(*)::int n from billing.invoices where customer_id = $1', [A])).rows[0].n;
    expect(res.body.data.invoices.totalCount).toBe(own);
    noB(res.body);
  });

  it('direct lookups of the other customer’s objects give null', async () => {
    const lookup = `query($c: ID!, $i: ID!, $p: ID!, $o: ID!) { customer(id: $c) { name } invoice(id: $i) { number } project(id: $p) { code } opportunity(id: $o) { name } }`;
    const vars = { c: B, i: bInvoice, p: bProject, o: bOpportunity };
    // They exist: an admin sees every one of them.
    const admin = await g.request(lookup, vars);
    expect(admin.body.errors).toBeUndefined();
    for (const [field, value] of Object.entries(admin.body.data)) expect(value, field).not.toBeNull();
    const res = await g.request(lookup, vars, asA);
    expect(res.body.data).toEqual({ customer: null, invoice: null, project: null, opportunity: null });
  });

  it('filters naming the other customer are overridden, not obeyed', async () => {
    const res = await g.request(
      `query($b: ID) { invoices(filter: { customerId: $b }) { nodes { customer { id } } } projects(filter: { customerId: $b }) { nodes { customer { id } } } }`,
      { b: B },
      asA,
    );
    expect(res.body.errors).toBeUndefined();
    for (const list of ['invoices', 'projects']) {
      expect(res.body.data[list].nodes.length, list).toBeGreaterThan(0);
      for (const n of res.body.data[list].nodes) expect(n.customer.id, list).toBe(A);
    }
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
    // A has subsidiaries (B among them) and B has a parent (A): neither sees the other through the hierarchy.
    const kids = (await g.database.pool.query('select count(*)::int n from crm.customers where parent_id = $1', [A])).rows[0].n;
    expect(kids).toBeGreaterThan(0);
    const down = await g.request(`query($a: ID!) { customer(id: $a) { children { id } } }`, { a: A }, asA);
    expect(down.body.data.customer.children).toEqual([]);
    const parentOfB = (await g.database.pool.query('select parent_id from crm.customers where id = $1', [B])).rows[0].parent_id;
    expect(parentOfB).toBe(A);
    const up = await g.request(`query($b: ID!) { customer(id: $b) { name parent { name } } }`, { b: B }, asB);
    expect(up.body.data.customer.name).toMatch(/\S/);
    expect(up.body.data.customer.parent).toBeNull();
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
    expect(res.body.data.invoices.nodes.length).toBeGreaterThan(0);
    // Every customer the answer names, along every path, is its own.
    const reached = customerIds(res.body);
    expect(reached.length).toBeGreaterThan(0);
    expect(new Set(reached)).toEqual(new Set([A]));
    noB(res.body);
  });

  it('a subscription only carries its own customer’s jobs', async () => {
    const client = wsClient(g.url, { Authorization: asA.authorization });
    const own = (
      await g.database.pool.query(`select id from crm.opportunities where customer_id = $1 and stage = 'NEGOTIATION' limit 1`, [A])
    ).rows[0]?.id;
    expect(own).toMatch(/^opp_/);
    const other = (
      await g.database.pool.query(
        `select o.id from crm.opportunities o join erp.customer_masters m on m.customer_id = o.customer_id where o.customer_id <> $1 and o.stage = 'NEGOTIATION' and m.tax_code is not null limit 1`,
        [A],
      )
    ).rows[0].id;
    const sub = collect(
      client,
      `subscription { syncJobUpdated { sequence status job { customer { id } source { id } } } }`,
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
    await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: own });
    const events = (await sub.events) as any[];
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.syncJobUpdated.job.customer.id).toBe(A);
    // The other customer's job was there to leak: its first event was published before the last one
    // this subscriber received, and none of its events reached it.
    await waitForJob(g, 'OPPORTUNITY_WON', other);
    const otherFirst = (
      await g.database.pool.query(
        `select min(ev.sequence)::text s from sync.job_events ev join sync.jobs j on j.id = ev.job_id where j.source_id = $1`,
        [other],
      )
    ).rows[0].s;
    expect(otherFirst).not.toBeNull();
    expect(BigInt(otherFirst)).toBeLessThan(BigInt(events.at(-1).syncJobUpdated.sequence));
    const global = collect(client, `subscription { syncEvents { sequence } }`, {}, () => true, 5000);
    await expect(global.events).rejects.toThrow(/FORBIDDEN|not available/);
    await client.dispose();
  });
});
