import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';

// The demo firm at scale 1 behind the real gateway and six subgraph HTTP servers.
let g: TestGraph;
beforeAll(async () => {
  g = await startTestGraph(async (d) => {
    await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
  });
});
afterAll(async () => g?.stop());

const WALK = `
  query Walk($first: Int!) {
    customers(first: $first) {
      totalCount
      nodes {
        id
        name
        opportunities(stage: CLOSED_WON) {
          name
          project {
            code
            customer { name }
            timeEntries(first: 5, filter: { billingStatus: BILLED }) {
              totalCount
              nodes {
                id
                hours
                billingStatus
                invoice {
                  number
                  customer { name }
                  total { amount currency }
                  journalEntry {
                    id
                    lines { account { code } debit { minorUnits } credit { minorUnits } project { code } }
                  }
                }
              }
            }
          }
        }
      }
    }
  }`;

describe('one graph through the gateway', () => {
  it('walks customer -> opportunity -> project -> time entries -> invoice -> journal lines in one request', async () => {
    const res = await g.request(WALK, { first: 50 });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const customers = res.body.data.customers.nodes;
    const entries = customers.flatMap((c: any) =>
      c.opportunities.flatMap((o: any) =>
        (o.project?.timeEntries.nodes ?? []).map((e: any) => ({ customer: c, project: o.project, entry: e })),
      ),
    );
    expect(entries.length).toBeGreaterThan(10);
    for (const { customer, project, entry } of entries) {
      // Each hop is answered by another system, and they agree on whose data it is.
      expect(project.customer.name).toBe(customer.name);
      expect(entry.billingStatus).toBe('BILLED');
      expect(entry.invoice.customer.name).toBe(customer.name);
      const lines = entry.invoice.journalEntry.lines;
      const debit = lines.reduce((s: bigint, l: any) => s + BigInt(l.debit?.minorUnits ?? 0), 0n);
      const credit = lines.reduce((s: bigint, l: any) => s + BigInt(l.credit?.minorUnits ?? 0), 0n);
      expect(debit).toBe(credit);
      // The receivable line carries the invoice total.
      expect(lines.some((l: any) => BigInt(l.debit?.minorUnits ?? 0) === BigInt(entry.invoice.total.amount.replace('.', '')))).toBe(true);
      expect(lines.some((l: any) => l.project?.code === project.code)).toBe(true);
    }
  });

  it('answers the same nested selection for 10 and for 500 customers with the same number of SQL statements', async () => {
    // Grow the firm to 500+ customers, each with a project, so the wide page has real children to load.
    await g.database.pool.query(`
      insert into crm.customers (id, name, region) select 'cus_x' || i, 'Extra customer ' || i, 'NA' from generate_series(1, 460) i;
      insert into psa.customer_refs (customer_id, name, legal_entity_id, currency) select 'cus_x' || i, 'Extra customer ' || i, 'LE-US', 'USD' from generate_series(1, 460) i;
      insert into psa.projects (id, code, name, customer_id, legal_entity_id, currency, start_date, status, service_line)
        select 'prj_x' || i, 'X-' || i, 'Extra project ' || i, 'cus_x' || i, 'LE-US', 'USD', '2026-01-01', 'ACTIVE', 'ADVISORY' from generate_series(1, 460) i;`);
    const query = `query($first: Int!) { customers(first: $first) { nodes { name parent { name } hours { approved unbilled }
      billingSummary { openBalance { amount } } arBalance { amount } financialMaster { paymentTermsDays }
      opportunities { name project { code } }
      projects { code hours { total } unbilledAmount { amount } invoices { number } financials { margin { amount } } syncJobs(first: 2) { status } } } } }`;
    const count = async (first: number) => {
      g.database.statements.length = 0;
      const res = await g.request(query, { first });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.customers.nodes).toHaveLength(first);
      return g.database.statements.length;
    };
    const small = await count(10);
    const large = await count(500);
    expect(small).toBeGreaterThan(0);
    expect(large).toBe(small);
    expect(small).toBeLessThan(25);
  });

  it('resolves entity references from every subgraph that defines or extends them', async () => {
    const res = await g.request(`{
      projects(first: 1) { nodes { code customer { name arBalance { amount } } opportunity { name } timeEntries(first: 1) { nodes { resource { name } } } } }
      invoices(first: 1) { nodes { number project { name } journalEntry { legalEntity { functionalCurrency } } receivable { openBalance { amount } } syncJobs { kind status } } }
      syncJobs(first: 1) { nodes { kind customer { name } } }
    }`);
    expect(res.body.errors).toBeUndefined();
    // Every reference resolved by the subgraph that owns or extends it: none came back null.
    const text = expect.stringMatching(/\S/);
    const { projects, invoices, syncJobs } = res.body.data;
    expect(projects.nodes).toHaveLength(1);
    expect(projects.nodes[0]).toMatchObject({
      customer: { name: text, arBalance: expect.any(Array) }, // crm, erp
      opportunity: { name: text }, // crm
      timeEntries: { nodes: [{ resource: { name: text } }] }, // time, psa
    });
    expect(invoices.nodes).toHaveLength(1);
    expect(invoices.nodes[0]).toMatchObject({
      project: { name: text }, // psa
      journalEntry: { legalEntity: { functionalCurrency: expect.stringMatching(/^[A-Z]{3}$/) } }, // erp
      receivable: { openBalance: { amount: expect.stringMatching(/^\d+\.\d{2}$/) } }, // erp
      syncJobs: expect.arrayContaining([expect.objectContaining({ kind: 'INVOICE_ISSUED' })]), // sync
    });
    expect(syncJobs.nodes).toHaveLength(1);
    expect(syncJobs.nodes[0].customer).toMatchObject({ name: text }); // crm
  });
});
