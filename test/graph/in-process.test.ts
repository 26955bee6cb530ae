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

const minor = (m: { minorUnits: string } | null | undefined) => BigInt(m?.minorUnits ?? 0);

describe('in-process subgraphs', () => {
  it('answer the cross-graph walk with balanced journals', async () => {
    const res = await g.request(
      `{ customers(first: 10) { nodes { opportunities(stage: CLOSED_WON) { project { timeEntries(first: 2, filter: { billingStatus: BILLED }) { nodes { invoice { number journalEntry { lines { debit { minorUnits } credit { minorUnits } } } } } } } } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const journals = res.body.data.customers.nodes.flatMap((c: any) =>
      c.opportunities.flatMap((o: any) => (o.project?.timeEntries.nodes ?? []).map((e: any) => e.invoice.journalEntry)),
    );
    expect(journals.length).toBeGreaterThan(0);
    for (const journal of journals) {
      expect(journal.lines.length).toBeGreaterThanOrEqual(2);
      const debits = journal.lines.reduce((s: bigint, l: any) => s + minor(l.debit), 0n);
      const credits = journal.lines.reduce((s: bigint, l: any) => s + minor(l.credit), 0n);
      expect(debits).toBeGreaterThan(0n);
      expect(debits).toBe(credits);
    }
  });

  it('keep error codes and hide internal details', async () => {
    const res = await g.request(`{ customers(after: "garbage") { totalCount } }`);
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_CURSOR']);
    // A forged cursor whose sort value PostgreSQL cannot read: still the business code, and nothing of
    // the SQL, the database's message or a stack reaches the client.
    const forged = Buffer.from(JSON.stringify({ l: 'customers', s: 'c.created_at:asc', v: ['not-a-time', 'cus_0001'] })).toString(
      'base64url',
    );
    const internal = await g.request(
      `query($after: String) { customers(after: $after, orderBy: { field: CREATED_AT, direction: ASC }) { totalCount } }`,
      { after: forged },
    );
    expect(internal.body.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_CURSOR']);
    for (const body of [res.body, internal.body]) {
      expect(JSON.stringify(body)).not.toMatch(/select |timestamp with time zone|stacktrace|\.ts:\d+/i);
    }
  });

  it('keep the row rules: a portal user sees only its own customer', async () => {
    // Two customers that have invoices (the demo's first customer has none), chosen as an admin sees them.
    const all = await g.request(`{ invoices(first: 200) { nodes { customer { id } } } }`);
    expect(all.body.errors).toBeUndefined();
    const owners = [...new Set<string>(all.body.data.invoices.nodes.map((n: any) => n.customer.id))];
    expect(owners.length).toBeGreaterThanOrEqual(2);
    const [own, other] = owners as [string, string];
    const admin = await g.request(
      `query($own: ID!, $other: ID!) { invoices(filter: { customerId: $own }) { totalCount } customer(id: $other) { name } }`,
      { own, other },
    );
    expect(admin.body.data.customer).not.toBeNull();
    const ownInvoices = admin.body.data.invoices.totalCount;
    expect(ownInvoices).toBeGreaterThan(0);

    const token = await g.token({ role: 'portal', customerId: own });
    const res = await g.request(
      `query($other: ID!) { invoices(first: 50) { totalCount nodes { customer { id } } } customer(id: $other) { name } }`,
      { other },
      { authorization: `Bearer ${token}` },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.customer).toBeNull();
    expect(res.body.data.invoices.totalCount).toBe(ownInvoices);
    expect(res.body.data.invoices.nodes).toHaveLength(Math.min(ownInvoices, 50));
    for (const n of res.body.data.invoices.nodes) expect(n.customer.id).toBe(own);
  });
});
