import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockStartingAt } from '../../lib/clock.ts';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { ok, waitForJob } from './helpers.ts';

// Business dates come from the clock the hub is given, never from the machine's: a hub whose clock
// says 2029-03-15 wins, approves, bills and reconciles on 2029-03-15 whatever day the suite runs.
// Before, each of these read `new Date()`: the suite failed from the day the calendar passed the
// dates written into the tests.
const NOW = '2029-03-15T10:00:00.000Z';
const DAY = NOW.slice(0, 10);
let g: TestGraph;
let oppId = '';
let projectId = '';

beforeAll(async () => {
  g = await startTestGraph(
    async (d) => {
      oppId = (await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2029-03-12' })).world.highlights.opportunitiesReadyToWin[0];
    },
    { sync: true, clock: clockStartingAt(NOW) },
  );
});
afterAll(async () => g?.stop());

describe('business dates come from the injected clock', () => {
  it('a deal won now starts its project, contract and rate card on the clock’s day', async () => {
    ok(await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: oppId }));
    expect((await waitForJob(g, 'OPPORTUNITY_WON', oppId)).status).toBe('SUCCEEDED');
    const data = ok<any>(
      await g.request(
        `query($id: ID!) { opportunity(id: $id) { wonAt project { id startDate contract { startDate } rateCard { rates { effectiveFrom } } } } }`,
        { id: oppId },
      ),
    );
    expect(data.opportunity.wonAt.slice(0, 10)).toBe(DAY);
    const project = data.opportunity.project;
    projectId = project.id;
    expect(project.startDate).toBe(DAY);
    expect(project.contract.startDate).toBe(DAY);
    expect(project.rateCard.rates.length).toBeGreaterThan(0);
    for (const rate of project.rateCard.rates) expect(rate.effectiveFrom).toBe(DAY);
  });

  it('an approval is dated by the clock, and a billing run without an issue date issues on the clock’s day', async () => {
    expect(projectId).not.toBe('');
    const rateCard = ok<any>(
      await g.request(`query($id: ID!) { project(id: $id) { rateCard { rates { role } } legalEntity { id } } }`, { id: projectId }),
    );
    const role = rateCard.project.rateCard.rates[0].role;
    const r = ok<any>(
      await g.request(
        `query($le: ID, $role: String) { resources(first: 1, filter: { legalEntityId: $le, role: $role }) { nodes { id } } }`,
        {
          le: rateCard.project.legalEntity.id,
          role,
        },
      ),
    );
    const entry = ok<any>(
      await g.request(`mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { timesheet { id } } }`, {
        input: { resourceId: r.resources.nodes[0].id, projectId, date: DAY, hours: 6, billable: true },
      }),
    );
    const sheet = entry.createTimeEntry.timesheet.id;
    ok(await g.request(`mutation($id: ID!) { submitTimesheet(id: $id) { status } }`, { id: sheet }));
    const approved = ok<any>(
      await g.request(`mutation($id: ID!) { approveTimesheet(id: $id, approver: "pm") { decidedAt } }`, { id: sheet }),
    );
    expect(approved.approveTimesheet.decidedAt.slice(0, 10)).toBe(DAY);
    expect((await waitForJob(g, 'TIME_APPROVED', sheet)).status).toBe('SUCCEEDED');

    ok(await g.request(`mutation($p: ID!, $t: Date!) { runBilling(projectId: $p, through: $t) { ok } }`, { p: projectId, t: DAY }));
    const run = await waitForJob(g, 'BILLING_RUN', projectId);
    expect(run.status).toBe('SUCCEEDED');
    const invoiceIds = run.targets.filter((t) => t.type === 'Invoice').map((t) => t.id);
    expect(invoiceIds).toHaveLength(1);
    const inv = ok<any>(await g.request(`query($id: ID!) { invoice(id: $id) { issueDate number } }`, { id: invoiceIds[0] }));
    expect(inv.invoice.issueDate).toBe(DAY);
    expect(inv.invoice.number).toMatch(/-2029-/);
  });

  it('reconciliation without an as-of day measures from the clock’s day', async () => {
    const rec = ok<any>(await g.request(`{ reconciliation { asOf } }`));
    expect(rec.reconciliation.asOf).toBe(DAY);
  });
});
