import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { ok, waitForJob } from './helpers.ts';

// Flow 6b: a rate change reprices unbilled time only; invoiced time keeps the rate it was billed at.
let g: TestGraph;
let projectId = '';
let rateCardId = '';
let role = '';
let resourceId = '';

async function approveWeek(dates: string[]): Promise<string> {
  let sheet = '';
  for (const date of dates) {
    const e = ok<any>(
      await g.request(`mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { timesheet { id } } }`, {
        input: { resourceId, projectId, date, hours: 8, billable: true },
      }),
    );
    sheet = e.createTimeEntry.timesheet.id;
  }
  ok(await g.request(`mutation($id: ID!) { submitTimesheet(id: $id) { status } }`, { id: sheet }));
  ok(await g.request(`mutation($id: ID!) { approveTimesheet(id: $id, approver: "pm") { status } }`, { id: sheet }));
  expect((await waitForJob(g, 'TIME_APPROVED', sheet)).status).toBe('SUCCEEDED');
  return sheet;
}

beforeAll(async () => {
  let oppId = '';
  g = await startTestGraph(
    async (d) => {
      oppId = (await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' })).world.highlights.opportunitiesReadyToWin[0];
    },
    { sync: true },
  );
  ok(await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: oppId }));
  await waitForJob(g, 'OPPORTUNITY_WON', oppId);
  const p = ok<any>(
    await g.request(`query($id: ID!) { opportunity(id: $id) { project { id legalEntity { id } rateCard { id rates { role } } } } }`, {
      id: oppId,
    }),
  );
  projectId = p.opportunity.project.id;
  rateCardId = p.opportunity.project.rateCard.id;
  role = p.opportunity.project.rateCard.rates[0].role;
  const r = ok<any>(
    await g.request(`query($le: ID, $role: String) { resources(first: 1, filter: { legalEntityId: $le, role: $role }) { nodes { id } } }`, {
      le: p.opportunity.project.legalEntity.id,
      role,
    }),
  );
  resourceId = r.resources.nodes[0].id;
});
afterAll(async () => g?.stop());

describe('flow 6b: rate changes apply to unbilled time only', () => {
  it('reprices unbilled items, leaves invoiced ones, and records what changed', async () => {
    await approveWeek(['2026-11-30', '2026-12-01']);
    ok(
      await g.request(`mutation($p: ID!) { runBilling(projectId: $p, through: "2026-12-06", issueDate: "2026-12-07") { ok } }`, {
        p: projectId,
      }),
    );
    expect((await waitForJob(g, 'BILLING_RUN', projectId)).status).toBe('SUCCEEDED');
    await approveWeek(['2026-12-07', '2026-12-08']);
    const before = (
      await g.database.pool.query(
        `select status, rate_minor, amount_minor from billing.billable_items where project_id = $1 order by work_date`,
        [projectId],
      )
    ).rows;
    expect(before.map((r) => r.status)).toEqual(['INVOICED', 'INVOICED', 'UNBILLED', 'UNBILLED']);
    const newRate = ((before[0].rate_minor + 1000) / 100).toFixed(2);

    const added = ok<any>(
      await g.request(`mutation($input: AddRateCardRateInput!) { addRateCardRate(input: $input) { id } }`, {
        input: { rateCardId, role, rate: newRate, effectiveFrom: '2026-12-01' },
      }),
    );
    const job = await waitForJob(g, 'RATE_CARD_CHANGED', added.addRateCardRate.id);
    expect(job.status).toBe('SUCCEEDED');

    const after = (
      await g.database.pool.query(
        `select status, rate_minor, amount_minor, minutes from billing.billable_items where project_id = $1 order by work_date`,
        [projectId],
      )
    ).rows;
    // Invoiced items keep the rate they were invoiced at, even the one dated after the new rate.
    expect(after.map((r) => r.status)).toEqual(['INVOICED', 'INVOICED', 'UNBILLED', 'UNBILLED']);
    expect(after.slice(0, 2)).toEqual(before.slice(0, 2).map((r) => ({ ...r, minutes: 480 })));
    for (const item of after.slice(2)) {
      expect(item.rate_minor).toBe(before[0].rate_minor + 1000);
      expect(item.amount_minor).toBe((item.rate_minor * item.minutes) / 60);
    }
    expect(job.targets.filter((t) => t.type === 'BillableItem')).toHaveLength(2);
  });
});
