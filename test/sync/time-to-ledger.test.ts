import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { ok, waitForJob, waitForJobStatus } from './helpers.ts';

// Approved time -> billable items -> invoice -> balanced erp journal and receivable -> payment ->
// credit memo, each step a sync job started by the write that causes it.
let g: TestGraph;
let projectId: string;
let resourceId: string;
let sheetId: string;
let invoiceId: string;

beforeAll(async () => {
  let oppId = '';
  g = await startTestGraph(
    async (d) => {
      const { world } = await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
      oppId = world.highlights.opportunitiesReadyToWin[0];
    },
    { sync: true },
  );
  ok(await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: oppId }));
  const job = await waitForJob(g, 'OPPORTUNITY_WON', oppId);
  expect(job.status).toBe('SUCCEEDED');
  const p = ok<any>(
    await g.request(
      `query($id: ID!) { opportunity(id: $id) { billingModel project { id legalEntity { id } rateCard { rates { role } } } } }`,
      { id: oppId },
    ),
  );
  expect(p.opportunity.billingModel).toBe('TIME_AND_MATERIALS');
  projectId = p.opportunity.project.id;
  const role = p.opportunity.project.rateCard.rates[0].role;
  const r = ok<any>(
    await g.request(`query($le: ID, $role: String) { resources(first: 1, filter: { legalEntityId: $le, role: $role }) { nodes { id } } }`, {
      le: p.opportunity.project.legalEntity.id,
      role,
    }),
  );
  resourceId = r.resources.nodes[0].id;
});
afterAll(async () => g?.stop());

const journalOf = (sourceType: string, sourceId: string) =>
  g.database.pool.query(
    `select e.id, sum(l.debit_minor)::bigint d, sum(l.credit_minor)::bigint c, sum(l.functional_debit_minor)::bigint fd, sum(l.functional_credit_minor)::bigint fc
       from erp.journal_entries e join erp.journal_lines l on l.journal_entry_id = e.id
      where e.source_type = $1 and e.source_id like $2 group by e.id`,
    [sourceType, sourceId],
  );

describe('flows 2, 3, 4, 5 and 7 end to end through the gateway', () => {
  it('approving a timesheet creates priced billable items and posts the cost to the erp', async () => {
    const days: [string, number][] = [
      ['2026-11-30', 7.5],
      ['2026-12-01', 7.75],
      ['2026-12-02', 7.75],
    ];
    for (const [date, hours] of days) {
      const e = ok<any>(
        await g.request(`mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { timesheet { id } } }`, {
          input: { resourceId, projectId, date, hours, billable: true },
        }),
      );
      sheetId = e.createTimeEntry.timesheet.id;
    }
    ok(await g.request(`mutation($id: ID!) { submitTimesheet(id: $id) { status } }`, { id: sheetId }));
    ok(await g.request(`mutation($id: ID!) { approveTimesheet(id: $id, approver: "pm@firm") { status } }`, { id: sheetId }));
    const job = await waitForJob(g, 'TIME_APPROVED', sheetId);
    expect(job.status).toBe('SUCCEEDED');
    const items = ok<any>(
      await g.request(
        `query($id: ID!) { project(id: $id) { billableItems(status: UNBILLED) { id amount { minorUnits } rate { minorUnits } } unbilledAmount { amount } } }`,
        { id: projectId },
      ),
    );
    expect(items.project.billableItems).toHaveLength(3);
    for (const item of items.project.billableItems) expect(Number(item.amount.minorUnits)).toBeGreaterThan(0);
    const cost = await waitForJob(g, 'PROJECT_COST', sheetId);
    expect(cost.status).toBe('SUCCEEDED');
    const costJournal = await journalOf('PROJECT_COST', `${sheetId}:%`);
    expect(costJournal.rowCount).toBe(1);
    expect(costJournal.rows[0].d).toBe(costJournal.rows[0].c);
  });

  it('a billing run issues a numbered invoice, marks the time billed and posts a balanced journal and receivable', async () => {
    const run = ok<any>(
      await g.request(`mutation($p: ID!) { runBilling(projectId: $p, through: "2026-12-06", issueDate: "2026-12-07") { ok job { id } } }`, {
        p: projectId,
      }),
    );
    expect(run.runBilling.ok).toBe(true);
    const billingJob = await waitForJob(g, 'BILLING_RUN', projectId);
    expect(billingJob.status).toBe('SUCCEEDED');
    invoiceId = billingJob.targets.find((t) => t.type === 'Invoice')!.id;
    const posted = await waitForJob(g, 'INVOICE_ISSUED', invoiceId);
    expect(posted.status).toBe('SUCCEEDED');
    const inv = ok<any>(
      await g.request(
        `query($id: ID!) { invoice(id: $id) { number status dueDate total { amount minorUnits } journalEntry { lines { debit { minorUnits } credit { minorUnits } } } receivable { openBalance { minorUnits } } } }`,
        { id: invoiceId },
      ),
    );
    expect(inv.invoice.number).toMatch(/^(US|DE)-2026-\d{6}$/);
    expect(inv.invoice.status).toBe('ISSUED');
    const lines = inv.invoice.journalEntry.lines;
    const sum = (k: 'debit' | 'credit') => lines.reduce((s: bigint, l: any) => s + BigInt(l[k].minorUnits), 0n);
    expect(sum('debit')).toBe(sum('credit'));
    expect(sum('debit')).toBe(BigInt(inv.invoice.total.minorUnits));
    expect(inv.invoice.receivable.openBalance.minorUnits).toBe(inv.invoice.total.minorUnits);
    const time = await g.database.pool.query(`select distinct billing_status from time.time_entries where timesheet_id = $1`, [sheetId]);
    expect(time.rows).toEqual([{ billing_status: 'BILLED' }]);
    // Billed time is locked in the time system.
    const entry = await g.database.pool.query(`select id from time.time_entries where timesheet_id = $1 limit 1`, [sheetId]);
    const edit = await g.request(`mutation($id: ID!) { updateTimeEntry(id: $id, input: { hours: 1 }) { id } }`, { id: entry.rows[0].id });
    expect(edit.body.errors?.[0].extensions?.code).toBe('TIME_ENTRY_LOCKED');
  });

  it('a payment recorded in the erp reaches the billing invoice', async () => {
    const inv = ok<any>(await g.request(`query($id: ID!) { invoice(id: $id) { total { amount } } }`, { id: invoiceId }));
    const half = (Number(inv.invoice.total.amount) / 2).toFixed(2);
    const pay = ok<any>(
      await g.request(`mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }`, {
        input: { externalRef: 'BANK-0001', invoiceId, amount: half, receivedOn: '2026-12-10' },
      }),
    );
    const job = await waitForJob(g, 'PAYMENT_RECEIVED', pay.recordPayment.id);
    expect(job.status).toBe('SUCCEEDED');
    const after = ok<any>(await g.request(`query($id: ID!) { invoice(id: $id) { status paid { amount } } }`, { id: invoiceId }));
    expect(after.invoice).toEqual({ status: 'PARTIALLY_PAID', paid: { amount: half } });
  });

  it('a full credit memo reverses the revenue in the erp and sends the time back to unbilled', async () => {
    // A second week, billed on its own invoice, then credited in full.
    let sheet2 = '';
    for (const date of ['2026-12-07', '2026-12-08']) {
      const e = ok<any>(
        await g.request(`mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { timesheet { id } } }`, {
          input: { resourceId, projectId, date, hours: 6, billable: true },
        }),
      );
      sheet2 = e.createTimeEntry.timesheet.id;
    }
    ok(await g.request(`mutation($id: ID!) { submitTimesheet(id: $id) { status } }`, { id: sheet2 }));
    ok(await g.request(`mutation($id: ID!) { approveTimesheet(id: $id, approver: "pm@firm") { status } }`, { id: sheet2 }));
    expect((await waitForJob(g, 'TIME_APPROVED', sheet2)).status).toBe('SUCCEEDED');
    ok(
      await g.request(`mutation($p: ID!) { runBilling(projectId: $p, through: "2026-12-13", issueDate: "2026-12-14") { ok } }`, {
        p: projectId,
      }),
    );
    const run = await waitForJob(g, 'BILLING_RUN', projectId);
    const runs = await g.request(
      `query($p: ID!) { syncJobs(filter: { kinds: [BILLING_RUN], sourceId: $p }) { nodes { status targets { type id } } } }`,
      { p: projectId },
    );
    expect(run.status).toBe('SUCCEEDED');
    const second = runs.body.data.syncJobs.nodes
      .flatMap((j: any) => j.targets)
      .map((t: any) => t.id)
      .find((id: string) => id !== invoiceId);
    expect((await waitForJob(g, 'INVOICE_ISSUED', second)).status).toBe('SUCCEEDED');
    const inv = ok<any>(await g.request(`query($id: ID!) { invoice(id: $id) { lines { id amount { amount } } } }`, { id: second }));
    const memo = ok<any>(
      await g.request(
        `mutation($input: IssueCreditMemoInput!) { issueCreditMemo(input: $input) { creditMemo { id total { minorUnits } } } }`,
        {
          input: {
            invoiceId: second,
            lines: inv.invoice.lines.map((l: any) => ({ invoiceLineId: l.id, amount: l.amount.amount })),
            reason: 'Hours disputed',
            timeDisposition: 'UNBILL',
            issueDate: '2026-12-15',
          },
        },
      ),
    );
    const memoId = memo.issueCreditMemo.creditMemo.id;
    const job = await waitForJob(g, 'CREDIT_MEMO_ISSUED', memoId);
    expect(job.status).toBe('SUCCEEDED');
    const reversal = await journalOf('CREDIT_MEMO', memoId);
    expect(reversal.rows[0].d).toBe(reversal.rows[0].c);
    expect(String(reversal.rows[0].c)).toBe(memo.issueCreditMemo.creditMemo.total.minorUnits);
    const receivable = ok<any>(
      await g.request(`query($id: ID!) { invoice(id: $id) { status receivable { status openBalance { minorUnits } } } }`, { id: second }),
    );
    expect(receivable.invoice).toEqual({ status: 'CREDITED', receivable: { status: 'CREDITED', openBalance: { minorUnits: '0' } } });
    const time = await g.database.pool.query(`select distinct billing_status from time.time_entries where timesheet_id = $1`, [sheet2]);
    expect(time.rows).toEqual([{ billing_status: 'UNBILLED' }]);
  });

  it('a billing run with nothing to bill, and a timesheet with only non-billable time, succeed with no effect', async () => {
    const run = ok<any>(
      await g.request(`mutation($p: ID!) { runBilling(projectId: $p, through: "2026-01-31", issueDate: "2026-02-01") { job { id } } }`, {
        p: projectId,
      }),
    );
    const billed = await waitForJobStatus(g, run.runBilling.job.id, ['SUCCEEDED', 'EXCEPTION', 'DEAD_LETTERED', 'RETRYING']);
    expect(billed.status).toBe('SUCCEEDED');
    expect(billed.targets).toEqual([]);
    const e = ok<any>(
      await g.request(`mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { timesheet { id } } }`, {
        input: { resourceId, projectId, date: '2026-12-14', hours: 2, billable: false },
      }),
    );
    const sheet = e.createTimeEntry.timesheet.id;
    ok(await g.request(`mutation($id: ID!) { submitTimesheet(id: $id) { status } }`, { id: sheet }));
    ok(await g.request(`mutation($id: ID!) { approveTimesheet(id: $id, approver: "pm@firm") { status } }`, { id: sheet }));
    const job = await waitForJob(g, 'TIME_APPROVED', sheet);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.targets).toEqual([]);
  });

  it('billable check: approved time on a project that is no longer active stops as an exception naming psa', async () => {
    // Close the project in psa only: the time system still accepts time on it (its own list is a copy).
    const e = ok<any>(
      await g.request(`mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { timesheet { id } } }`, {
        input: { resourceId, projectId, date: '2026-12-21', hours: 3, billable: true },
      }),
    );
    const sheet = e.createTimeEntry.timesheet.id;
    ok(await g.request(`mutation($id: ID!) { submitTimesheet(id: $id) { status } }`, { id: sheet }));
    ok(await g.request(`mutation($id: ID!) { closeProject(id: $id) { status } }`, { id: projectId }));
    ok(await g.request(`mutation($id: ID!) { approveTimesheet(id: $id, approver: "pm@firm") { status } }`, { id: sheet }));
    const job = await waitForJob(g, 'TIME_APPROVED', sheet);
    expect(job.status).toBe('EXCEPTION');
    expect(job.lastError).toMatchObject({ code: 'PROJECT_NOT_ACTIVE', system: 'psa' });
  });

  it('every journal the flows posted balances in its own and in functional currency', async () => {
    // The flows above posted cost, invoice, payment and credit-memo journals: there is something to check.
    const posted = await g.database.pool.query(
      `select array_agg(distinct e.source_type order by e.source_type) types from erp.journal_entries e
         join erp.journal_lines l on l.journal_entry_id = e.id where l.project_id = $1`,
      [projectId],
    );
    expect(posted.rows[0].types).toEqual(['CREDIT_MEMO', 'INVOICE', 'PAYMENT', 'PROJECT_COST']);
    const all = await g.database.pool.query(`
      select count(*)::int n from (select journal_entry_id from erp.journal_lines group by 1
        having sum(debit_minor) <> sum(credit_minor) or sum(functional_debit_minor) <> sum(functional_credit_minor)) x`);
    expect(all.rows[0].n).toBe(0);
  });
});
