import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../lib/principal.ts';
import type { SubgraphModule } from '../../lib/subgraph.ts';
import { seedDemo } from '../../seed/index.ts';
import { SUBGRAPH_FACTORIES } from '../../subgraphs/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

// Every subgraph judges the entities it adds fields to by its own record of their owner, so an
// entity lookup for another customer's project, invoice or entry gives a portal user nothing,
// whatever path handed the gateway the reference.
let d: TestDatabase;
const m = {} as Record<keyof typeof SUBGRAPH_FACTORIES, SubgraphModule>;
type Side = { customer: string; project: string; invoice: string; line: string; entry: string; timeEntry: string; opportunity: string };
let A: Side;
let B: Side;
let portalA: Principal;

/** One project of a customer with an issued invoice, its posted journal, a billed time entry and the deal it came from. */
async function side(exclude: string): Promise<Side> {
  const r = await sql<Side>`
    select i.customer_id as customer, i.project_id as project, i.id as invoice, l.id as line, e.id as entry,
           b.source_id as "timeEntry", p.opportunity_id as opportunity
      from billing.invoices i
      join billing.invoice_lines l on l.invoice_id = i.id
      join billing.billable_items b on b.invoice_line_id = l.id
      join erp.journal_entries e on e.source_type = 'INVOICE' and e.source_id = i.id
      join psa.projects p on p.id = i.project_id
     where i.customer_id <> ${exclude} and p.opportunity_id is not null
     order by i.customer_id, i.id limit 1`.execute(d.db);
  expect(r.rows).toHaveLength(1);
  return r.rows[0]!;
}

beforeAll(async () => {
  d = await createTestDatabase();
  await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
  for (const [name, factory] of Object.entries(SUBGRAPH_FACTORIES)) m[name as keyof typeof m] = factory(d.db);
  A = await side('');
  B = await side(A.customer);
  portalA = { sub: 'portal-a', role: 'portal', customerId: A.customer };
});
afterAll(async () => d?.drop());

const LOOKUP = (fields: string) => `query($r: [_Any!]!) { _entities(representations: $r) { ${fields} } }`;
const reps = (typename: string, ...ids: string[]) => ids.map((id) => ({ __typename: typename, id }));

/** The portal's own entity and the other customer's, looked up together in one `_entities` call. */
async function ownAndOther(module: SubgraphModule, typename: string, fields: string, own: string, other: string) {
  const res = await execute(module, LOOKUP(`... on ${typename} { ${fields} }`), { r: reps(typename, own, other) }, portalA);
  expect(res.errors).toBeUndefined();
  return res.data._entities as unknown[];
}

describe('entity lookups as a portal user, subgraph by subgraph', () => {
  it('time, billing and erp: another customer’s project is null; its own has its hours, amounts and financials', async () => {
    const [ownTime, otherTime] = await ownAndOther(
      m.time,
      'Project',
      'hours { total } timeEntries(first: 1) { totalCount }',
      A.project,
      B.project,
    );
    expect(otherTime).toBeNull();
    expect((ownTime as any).hours.total).toBeGreaterThan(0);
    const [ownBilling, otherBilling] = await ownAndOther(
      m.billing,
      'Project',
      'invoicedAmount { amount } billingRule { customer { id } }',
      A.project,
      B.project,
    );
    expect(otherBilling).toBeNull();
    expect(ownBilling).toMatchObject({ billingRule: { customer: { id: A.customer } } });
    const [ownErp, otherErp] = await ownAndOther(m.erp, 'Project', 'financials { revenue { amount } }', A.project, B.project);
    expect(otherErp).toBeNull();
    expect((ownErp as any).financials.revenue.amount).toMatch(/^\d+\.\d{2}$/);
  });

  it('a project no system has rows about passes empty, so the owner’s fields are not nulled by the others', async () => {
    const res = await execute(m.time, LOOKUP('... on Project { id hours { total } }'), { r: reps('Project', 'prj_nowhere') }, portalA);
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([{ id: 'prj_nowhere', hours: { total: 0 } }]);
  });

  it('sync: another customer’s project lists none of its jobs; the reconciliation slice is not the portal’s', async () => {
    const [own, other] = await ownAndOther(m.sync, 'Project', 'syncJobs(first: 5) { customer { id } }', A.project, B.project);
    expect((own as any).syncJobs.length).toBeGreaterThan(0);
    expect((own as any).syncJobs.map((j: any) => j.customer.id)).toEqual((own as any).syncJobs.map(() => A.customer));
    expect(other).toEqual({ syncJobs: [] });
    const slice = await execute(
      m.sync,
      LOOKUP('... on Project { reconciliation { discrepancyCount } }'),
      { r: reps('Project', A.project) },
      portalA,
    );
    expect(codes(slice)).toEqual(['FORBIDDEN']);
  });

  it('invoices, lines and journal entries of another customer give nothing in billing, erp and sync', async () => {
    const [ownLine, otherLine] = await ownAndOther(m.billing, 'InvoiceLine', 'id amount { amount }', A.line, B.line);
    expect(otherLine).toBeNull();
    expect(ownLine).toMatchObject({ id: A.line });
    const [ownInvoice, otherInvoice] = await ownAndOther(m.erp, 'Invoice', 'journalEntry { id } receivable { id }', A.invoice, B.invoice);
    expect(otherInvoice).toEqual({ journalEntry: null, receivable: null });
    expect((ownInvoice as any).journalEntry.id).toBe(A.entry);
    const [ownEntry, otherEntry] = await ownAndOther(m.erp, 'JournalEntry', 'id totals { debit { amount } }', A.entry, B.entry);
    expect(otherEntry).toBeNull();
    expect(ownEntry).toMatchObject({ id: A.entry });
    const [ownJobs, otherJobs] = await ownAndOther(m.sync, 'Invoice', 'syncJobs(first: 5) { id }', A.invoice, B.invoice);
    expect((ownJobs as any).syncJobs.length).toBeGreaterThan(0);
    expect(otherJobs).toEqual({ syncJobs: [] });
  });

  it('a time entry’s billing and an opportunity’s project of another customer are null', async () => {
    const [ownEntry, otherEntry] = await ownAndOther(
      m.billing,
      'TimeEntry',
      'billableItem { id } invoice { id }',
      A.timeEntry,
      B.timeEntry,
    );
    expect(otherEntry).toEqual({ billableItem: null, invoice: null });
    expect((ownEntry as any).invoice).toEqual({ id: A.invoice });
    const [ownDeal, otherDeal] = await ownAndOther(m.psa, 'Opportunity', 'project { id }', A.opportunity, B.opportunity);
    expect(otherDeal).toEqual({ project: null });
    expect(ownDeal).toEqual({ project: { id: A.project } });
  });
});
