import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, waitForJob, waitForJobStatus } from '../sync/helpers.ts';
import { type MoneyWorld, startMoneyWorld } from './world.ts';

// Billing runs and the low-level billing mutations keep the invariants (issue 13, defects 1, 7, 10
// and 12): no invoice of zero, issue dates in number order and not before the work, time billed
// when its item is invoiced, tax from the customer's tax code, a replayed run bills nothing new.
let w: MoneyWorld;

beforeAll(async () => {
  w = await startMoneyWorld();
}, 120_000);
afterAll(async () => w?.stop());

const billingStatusOf = async (entryIds: string[]) =>
  (await w.sql(`select billing_status from time.time_entries where id = any($1) order by work_date`, [entryIds])).map(
    (r) => r.billing_status,
  );

describe('billing runs and invoices', () => {
  it('a capped project bills up to its cap; time over the cap is written off, never a zero invoice', async () => {
    const customerId = await w.customer({ legalEntityId: 'LE-US', currency: 'USD', taxCode: 'US-EXEMPT' });
    const { projectId, resourceId } = await w.project({ customerId, currency: 'USD', rate: '100.00' });
    const [rule] = await w.sql(`select * from billing.rules where project_id = $1`, [projectId]);
    ok(
      await w.g.request(`mutation($input: BillingRuleInput!) { upsertBillingRule(input: $input) { cap { amount } } }`, {
        input: {
          projectId,
          customerId,
          contractId: rule.contract_id,
          legalEntityId: 'LE-US',
          billingModel: 'TIME_AND_MATERIALS',
          currency: 'USD',
          cap: '1000.00',
          serviceLine: rule.service_line,
        },
      }),
    );
    const entries = await w.book(projectId, resourceId, [
      ['2026-11-23', 8],
      ['2026-11-24', 8],
      ['2026-11-25', 8],
    ]);
    const first = await w.bill(projectId, '2026-11-24', '2026-11-25');
    expect(first).toHaveLength(1);
    const second = await w.bill(projectId, '2026-11-25', '2026-11-26');
    expect(second).toEqual([]);
    const invoices = await w.sql(`select number, total_minor from billing.invoices where project_id = $1 order by number`, [projectId]);
    expect(invoices.map((i) => Number(i.total_minor))).toEqual([100000]);
    expect(await billingStatusOf(entries)).toEqual(['BILLED', 'BILLED', 'WRITTEN_OFF']);
    const items = await w.sql(`select status, amount_minor from billing.billable_items where project_id = $1 order by work_date`, [
      projectId,
    ]);
    expect(items.map((i) => [i.status, Number(i.amount_minor)])).toEqual([
      ['INVOICED', 80000],
      ['INVOICED', 20000],
      ['WRITTEN_OFF', 0],
    ]);
    const rec = ok<any>(await w.g.request(`query { reconciliation(asOf: "2026-11-26") { unpostedInvoices { invoice { id } } } }`));
    expect(rec.reconciliation.unpostedInvoices).toEqual([]);
  });

  it('createDraftInvoice + issueInvoice by hand: the time is billed and the tax comes from the customer tax code', async () => {
    const customerId = await w.customer({ legalEntityId: 'LE-US', currency: 'USD', taxCode: 'US-NY' });
    const { projectId, resourceId } = await w.project({ customerId, currency: 'USD', rate: '100.00' });
    const entries = await w.book(projectId, resourceId, [['2026-11-23', 2]]);
    const refused = await w.g.request(
      `mutation($p: ID!) { createDraftInvoice(projectId: $p, through: "2026-11-27", taxRateBp: 0) { id } }`,
      {
        p: projectId,
      },
    );
    expect(refused.body.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'taxRateBp']]);
    const draft = ok<any>(
      await w.g.request(
        `mutation($p: ID!) { createDraftInvoice(projectId: $p, through: "2026-11-27") { id tax { amount } lines { taxRateBp } } }`,
        {
          p: projectId,
        },
      ),
    ).createDraftInvoice;
    expect(draft).toMatchObject({ tax: { amount: '17.76' }, lines: [{ taxRateBp: 888 }] });
    ok(await w.g.request(`mutation($id: ID!) { issueInvoice(id: $id, issueDate: "2026-11-27") { status } }`, { id: draft.id }));
    expect((await waitForJob(w.g, 'INVOICE_ISSUED', draft.id)).status).toBe('SUCCEEDED');
    await w.settled();
    expect(await billingStatusOf(entries)).toEqual(['BILLED']);
  });

  it('replaying a succeeded billing run bills nothing new, even time approved since', async () => {
    const customerId = await w.customer({ legalEntityId: 'LE-US', currency: 'USD', taxCode: 'US-EXEMPT' });
    const { projectId, resourceId } = await w.project({ customerId, currency: 'USD', rate: '120.00' });
    await w.book(projectId, resourceId, [['2026-11-23', 4]]);
    const [invoiceId] = await w.bill(projectId, '2026-12-04', '2026-12-04');
    expect(invoiceId).toBeDefined();
    // Approved after the run, dated within it: the first run did not bill it, a replay must not either.
    const late = await w.book(projectId, resourceId, [['2026-11-30', 4]]);
    const [job] = await w.sql(`select id from sync.jobs where kind = 'BILLING_RUN' and project_id = $1`, [projectId]);
    const replay = ok<any>(await w.g.request(`mutation($id: ID!) { replaySyncJob(id: $id) { ok } }`, { id: job.id }));
    expect(replay.replaySyncJob.ok).toBe(true);
    expect((await waitForJobStatus(w.g, job.id, ['SUCCEEDED', 'EXCEPTION', 'DEAD_LETTERED'])).status).toBe('SUCCEEDED');
    await w.settled();
    const invoices = await w.sql(`select id from billing.invoices where project_id = $1`, [projectId]);
    expect(invoices.map((i) => i.id)).toEqual([invoiceId]);
    expect(await billingStatusOf(late)).toEqual(['UNBILLED']);
  });

  it('issue dates: not before the work an invoice bills, not before the last number of the legal entity', async () => {
    const customerId = await w.customer({ legalEntityId: 'LE-US', currency: 'USD', taxCode: 'US-EXEMPT' });
    const a = await w.project({ customerId, currency: 'USD', rate: '100.00' });
    const b = await w.project({ customerId, currency: 'USD', rate: '100.00' });
    await w.book(a.projectId, a.resourceId, [['2026-11-30', 2]]);
    await w.book(b.projectId, b.resourceId, [['2026-11-30', 2]]);
    // Issued the day before the work it bills.
    const early = ok<any>(
      await w.g.request(`mutation($p: ID!) { runBilling(projectId: $p, through: "2026-12-06", issueDate: "2026-11-29") { job { id } } }`, {
        p: a.projectId,
      }),
    );
    const earlyJob = await waitForJobStatus(w.g, early.runBilling.job.id, ['SUCCEEDED', 'EXCEPTION', 'DEAD_LETTERED']);
    expect([earlyJob.status, earlyJob.lastError?.code]).toEqual(['EXCEPTION', 'ISSUE_DATE_OUT_OF_ORDER']);
    expect(await w.bill(b.projectId, '2026-12-06', '2027-01-15')).toHaveLength(1);
    // Another invoice of LE-US dated before the one just numbered would break number order.
    const late = ok<any>(
      await w.g.request(`mutation($p: ID!) { runBilling(projectId: $p, through: "2026-12-07", issueDate: "2027-01-14") { job { id } } }`, {
        p: a.projectId,
      }),
    );
    const lateJob = await waitForJobStatus(w.g, late.runBilling.job.id, ['SUCCEEDED', 'EXCEPTION', 'DEAD_LETTERED']);
    expect([lateJob.status, lateJob.lastError?.code]).toEqual(['EXCEPTION', 'ISSUE_DATE_OUT_OF_ORDER']);
    const numbered = await w.sql(`select count(*)::int n from billing.invoices where project_id = $1 and number is not null`, [
      a.projectId,
    ]);
    expect(numbered[0].n).toBe(0);
  });

  it('a fixed-fee deal gets its instalment schedule at activation; the billing run invoices each instalment when due, the fee exactly', async () => {
    const customerId = await w.customer({ legalEntityId: 'LE-DE', currency: 'EUR', taxCode: 'DE-VAT19' });
    const { projectId } = await w.project({ customerId, currency: 'EUR', rate: '100.00', billingModel: 'FIXED_FEE', amount: '10000.00' });
    const schedule = await w.sql(
      `select name, amount_minor::int, due_date::text from billing.milestones where project_id = $1 order by due_date`,
      [projectId],
    );
    // Won on the test clock's day (2026-11-23): three monthly instalments in arrears (mapping money.fixedFeeSchedule).
    expect(schedule).toEqual([
      { name: 'Fixed fee, instalment 1 of 3', amount_minor: 333333, due_date: '2026-12-23' },
      { name: 'Fixed fee, instalment 2 of 3', amount_minor: 333333, due_date: '2027-01-23' },
      { name: 'Fixed fee, instalment 3 of 3', amount_minor: 333334, due_date: '2027-02-23' },
    ]);
    expect(await w.bill(projectId, '2026-12-31', '2026-12-31')).toHaveLength(1);
    expect(await w.bill(projectId, '2027-02-28', '2027-02-28')).toHaveLength(2);
    const lines = await w.sql(
      `select l.kind, l.amount_minor::int, l.tax_minor::int from billing.invoice_lines l join billing.invoices i on i.id = l.invoice_id
        where i.project_id = $1 order by i.number`,
      [projectId],
    );
    expect(lines).toEqual([
      { kind: 'FIXED_FEE', amount_minor: 333333, tax_minor: 63333 },
      { kind: 'FIXED_FEE', amount_minor: 333333, tax_minor: 63333 },
      { kind: 'FIXED_FEE', amount_minor: 333334, tax_minor: 63333 },
    ]);
    expect(lines.reduce((s, l) => s + l.amount_minor, 0)).toBe(1000000);
  });

  it('reconciliation sees time whose billing status disagrees with its billable item (BILLING_STATUS_MISMATCH)', async () => {
    const customerId = await w.customer({ legalEntityId: 'LE-DE', currency: 'EUR', taxCode: 'DE-VAT19' });
    const { projectId, resourceId } = await w.project({ customerId, currency: 'EUR', rate: '80.00' });
    const [entry] = await w.book(projectId, resourceId, [['2026-12-01', 2]]);
    expect(await w.bill(projectId, '2027-03-01', '2027-03-01')).toHaveLength(1);
    const Q = `query { reconciliation(asOf: "2027-03-01") { checks { name status count } billingStatusMismatches { project { id } timeBilled itemsInvoiced } } }`;
    const clean = ok<any>(await w.g.request(Q)).reconciliation;
    expect(clean.checks.find((c: any) => c.name === 'BILLING_STATUS_MISMATCH')).toEqual({
      name: 'BILLING_STATUS_MISMATCH',
      status: 'OK',
      count: 0,
    });
    // What an invoice drafted and issued by hand used to leave behind: the item invoiced, its time unbilled.
    await w.sql(`update time.time_entries set billing_status = 'UNBILLED' where id = $1`, [entry]);
    const found = ok<any>(await w.g.request(Q)).reconciliation;
    expect(found.checks.find((c: any) => c.name === 'BILLING_STATUS_MISMATCH')).toEqual({
      name: 'BILLING_STATUS_MISMATCH',
      status: 'DISCREPANCY',
      count: 1,
    });
    expect(found.billingStatusMismatches).toEqual([{ project: { id: projectId }, timeBilled: 0, itemsInvoiced: 1 }]);
    await w.sql(`update time.time_entries set billing_status = 'BILLED' where id = $1`, [entry]);
  });
});
