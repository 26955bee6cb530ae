import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '../support/clock.ts';
import { ok } from '../sync/helpers.ts';
import { type MoneyWorld, startMoneyWorld } from './world.ts';

// What a customer's financial master means (issue 13, defect 14): ON_HOLD and INACTIVE customers get
// no new projects, and a won deal that would take the customer past its credit limit waits; the
// mapping's creditControl says so (docs/money.md). And time before a project starts is refused at the
// door instead of blocking the pricing of its whole timesheet. Deals here are won on 2026-11-25.
let w: MoneyWorld;

beforeAll(async () => {
  w = await startMoneyWorld({ clock: testClock('2026-11-25T12:00:00.000Z') });
}, 120_000);
afterAll(async () => w?.stop());

describe('credit control', () => {
  it('a customer on hold: the won deal is not activated (CUSTOMER_ON_HOLD); released, a replay activates it', async () => {
    const customerId = await w.customer({ legalEntityId: 'LE-US', currency: 'USD', taxCode: 'US-EXEMPT', status: 'ON_HOLD' });
    const { job } = await w.project({ customerId, currency: 'USD', rate: '100.00', expectStatus: 'EXCEPTION' });
    expect(job.lastError).toMatchObject({ code: 'CUSTOMER_ON_HOLD', system: 'erp' });
    ok(
      await w.g.request(
        `mutation($id: ID!) { upsertCustomerFinancialMaster(customerId: $id, input: { name: "Released", legalEntityId: "LE-US", currency: "USD", taxCode: "US-EXEMPT", paymentTermsDays: 30 }) { status } }`,
        {
          id: customerId,
        },
      ),
    );
    await w.settled();
    ok(await w.g.request(`mutation($id: ID!) { replaySyncJob(id: $id) { ok } }`, { id: job.id }));
    await w.settled();
    const [after] = await w.sql(`select status from sync.jobs where id = $1`, [job.id]);
    expect(after.status).toBe('SUCCEEDED');
  });

  it('an inactive customer gets no new project either', async () => {
    const customerId = await w.customer({ legalEntityId: 'LE-DE', currency: 'EUR', taxCode: 'DE-VAT19', status: 'INACTIVE' });
    const { job } = await w.project({ customerId, currency: 'EUR', rate: '100.00', expectStatus: 'EXCEPTION' });
    expect(job.lastError).toMatchObject({ code: 'CUSTOMER_INACTIVE', system: 'erp' });
  });

  it('a deal that would take open receivables past the credit limit waits (CREDIT_LIMIT_EXCEEDED); one within it is activated', async () => {
    const customerId = await w.customer({ legalEntityId: 'LE-US', currency: 'USD', taxCode: 'US-EXEMPT', creditLimit: '50000.00' });
    const first = await w.project({ customerId, currency: 'USD', rate: '100.00', amount: '40000.00' });
    await w.book(first.projectId, first.resourceId, [['2026-11-25', 8]]);
    expect(await w.bill(first.projectId, '2026-11-27', '2026-11-27')).toHaveLength(1);
    // 800.00 open + 49,500.00 would pass 50,000.00; 800.00 + 49,000.00 would not.
    const over = await w.project({ customerId, currency: 'USD', rate: '100.00', amount: '49500.00', expectStatus: 'EXCEPTION' });
    expect(over.job.lastError).toMatchObject({ code: 'CREDIT_LIMIT_EXCEEDED', system: 'erp' });
    await w.project({ customerId, currency: 'USD', rate: '100.00', amount: '49000.00' });
  });
});

describe('time and project dates', () => {
  it('time dated before the project starts is refused when booked, so the rest of the week prices', async () => {
    const customerId = await w.customer({ legalEntityId: 'LE-US', currency: 'USD', taxCode: 'US-EXEMPT' });
    const { projectId, resourceId } = await w.project({ customerId, currency: 'USD', rate: '100.00' });
    const early = await w.g.request(`mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { id } }`, {
      input: { resourceId, projectId, date: '2026-11-24', hours: 2, billable: true },
    });
    expect(early.body.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['OUTSIDE_PROJECT_DATES', 'date']]);
    const entries = await w.book(projectId, resourceId, [['2026-11-25', 3]]);
    const items = await w.sql(`select amount_minor from billing.billable_items where source_id = any($1)`, [entries]);
    expect(items.map((i) => Number(i.amount_minor))).toEqual([30000]);
  });
});
