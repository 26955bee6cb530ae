import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';

// Reconciliation of the demo firm through the real gateway: the demo reconciles, every planted
// difference is found with its amounts, lineage walks back to the opportunity, and the statement
// count does not grow with the data.

const AS_OF = '2026-11-23';
let g: TestGraph;
beforeAll(async () => {
  g = await startTestGraph(async (d) => {
    await seedDemo(d.db, { scale: 1, seed: 42, asOf: AS_OF });
  });
});
afterAll(async () => g?.stop());

const REPORT = `
  query Report($asOf: Date) {
    reconciliation(asOf: $asOf) {
      asOf staleAfterDays discrepancyCount
      checks { name status count discrepancyCount description }
      wip { project { id code } customer { id } hours value { amount currency minorUnits } oldestWorkDate
            buckets { age hours value { minorUnits currency } } }
      timeWithoutBillableItem { project { id code } count hours approvedEntries billableItems }
      staleBillableItems { project { id } count hours value { minorUnits currency } oldestWorkDate dueSince daysOverdue releasedByCreditMemos }
      unpostedInvoices { invoice { id number } number customer { id } project { id } total { minorUnits currency } issueDate status }
      arDifferences { customer { id name } currency billingOpen { minorUnits } erpOpen { minorUnits } difference { amount minorUnits currency } }
      misplacedTime { projectId project { id } reason count hours firstWorkDate lastWorkDate projectEndDate }
      customersWithoutMaster { customer { id name } name explained reason projectCount invoiceCount openOpportunities }
    }
  }`;

async function report(asOf = AS_OF) {
  const res = await g.request(REPORT, { asOf });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.reconciliation;
}

const sql = async <T = any>(text: string, params: unknown[] = []): Promise<T[]> => (await g.database.pool.query(text, params)).rows as T[];

describe('reconciliation of the demo', () => {
  it('reconciles the demo: no discrepancy, WIP listed, the two prospects without a master explained', async () => {
    const r = await report();
    expect(r.asOf).toBe(AS_OF);
    expect(r.staleAfterDays).toBe(45);
    expect(r.discrepancyCount).toBe(0);
    expect(r.checks.map((c: any) => c.name)).toEqual([
      'WIP',
      'TIME_WITHOUT_BILLABLE_ITEM',
      'BILLING_STATUS_MISMATCH',
      'STALE_BILLABLE_ITEMS',
      'INVOICES_NOT_POSTED',
      'AR_DIFFERENCE',
      'TIME_ON_UNKNOWN_OR_CLOSED_PROJECT',
      'CUSTOMERS_WITHOUT_FINANCIAL_MASTER',
    ]);
    const byName = Object.fromEntries(r.checks.map((c: any) => [c.name, c]));
    expect(byName.WIP.status).toBe('INFO');
    expect(byName.CUSTOMERS_WITHOUT_FINANCIAL_MASTER).toMatchObject({ status: 'INFO', count: 2, discrepancyCount: 0 });
    for (const n of [
      'TIME_WITHOUT_BILLABLE_ITEM',
      'BILLING_STATUS_MISMATCH',
      'STALE_BILLABLE_ITEMS',
      'INVOICES_NOT_POSTED',
      'AR_DIFFERENCE',
      'TIME_ON_UNKNOWN_OR_CLOSED_PROJECT',
    ])
      expect(byName[n]).toMatchObject({ status: 'OK', count: 0 });

    // WIP: every project is T&M, hours agree with the time system, value with billing's unbilled items.
    expect(r.wip.length).toBeGreaterThan(5);
    const tm = new Set(
      (await sql(`select project_id from billing.rules where billing_model = 'TIME_AND_MATERIALS'`)).map((x) => x.project_id),
    );
    for (const w of r.wip) {
      expect(tm.has(w.project.id)).toBe(true);
      expect(w.buckets.map((b: any) => b.age)).toEqual(['DAYS_0_30', 'DAYS_31_60', 'DAYS_61_90', 'OVER_90_DAYS']);
      expect(w.buckets.reduce((s: bigint, b: any) => s + BigInt(b.value.minorUnits), 0n)).toBe(BigInt(w.value.minorUnits));
    }
    const [time] =
      await sql(`select sum(e.minutes)::int as minutes from time.time_entries e join billing.rules r on r.project_id = e.project_id
      where r.billing_model = 'TIME_AND_MATERIALS' and e.status = 'APPROVED' and e.billable and e.billing_status = 'UNBILLED'`);
    expect(r.wip.reduce((s: number, w: any) => s + w.hours, 0)).toBe(time.minutes / 60);
    const [items] = await sql(`select sum(amount_minor)::text as minor from billing.billable_items where status = 'UNBILLED'`);
    expect(r.wip.reduce((s: bigint, w: any) => s + BigInt(w.value.minorUnits), 0n)).toBe(BigInt(items.minor));
    // The September time released by the UNBILL credit memo is older than 30 days: some WIP ages.
    expect(r.wip.some((w: any) => w.buckets[2].hours > 0 || w.buckets[1].hours > 0)).toBe(true);

    expect(r.customersWithoutMaster).toHaveLength(2);
    for (const c of r.customersWithoutMaster) {
      expect(c).toMatchObject({ explained: true, projectCount: 0, invoiceCount: 0 });
      expect(c.customer.name).toBe(c.name);
      expect(c.reason).toMatch(/Prospect/);
    }
  });

  it('dates time released by an UNBILL credit memo from the memo, and names the memo', async () => {
    const [memo] = await sql(
      `select m.number, i.project_id from billing.credit_memos m join billing.invoices i on i.id = m.invoice_id where m.time_disposition = 'UNBILL'`,
    );
    // With a 20-day limit, October's time (due 2026-10-31) is stale; so is the September time the memo
    // released in October, due again at the end of October rather than of September.
    const res = await g.request(
      `query($asOf: Date) { reconciliation(asOf: $asOf, staleAfterDays: 20) { discrepancyCount staleBillableItems { project { id } dueSince daysOverdue oldestWorkDate releasedByCreditMemos } } }`,
      { asOf: AS_OF },
    );
    expect(res.body.errors).toBeUndefined();
    const stale = res.body.data.reconciliation.staleBillableItems;
    expect(stale.length).toBeGreaterThan(1);
    for (const s of stale) expect(s).toMatchObject({ dueSince: '2026-10-31', daysOverdue: 23 });
    const released = stale.find((s: any) => s.project.id === memo.project_id);
    expect(released.releasedByCreditMemos).toEqual([memo.number]);
    expect(released.oldestWorkDate < '2026-10-01').toBe(true);
  });

  it('walks from a journal line of an INVOICE entry back to the opportunity, and the hours add up', async () => {
    const [entry] = await sql(`
      select j.id from erp.journal_entries j
      join billing.invoices i on i.id = j.source_id
      join billing.invoice_lines l on l.invoice_id = i.id and l.kind = 'TIME'
      where j.source_type = 'INVOICE' and i.credited_minor = 0 order by j.id limit 1`);
    const res = await g.request(
      `query Lineage($id: ID!) {
        journalEntry(id: $id) {
          source { type id }
          lines {
            account { code }
            sourceLine { type id }
            invoiceLine {
              id kind quantity invoice { id }
              billableItems {
                hours sourceHours
                timeEntry { id hours project { id code opportunity { id name stage } } }
              }
            }
          }
        }
      }`,
      { id: entry.id },
    );
    expect(res.body.errors).toBeUndefined();
    const je = res.body.data.journalEntry;
    expect(je.source.type).toBe('INVOICE');
    const revenue = je.lines.filter((l: any) => l.sourceLine?.type === 'INVOICE_LINE');
    expect(revenue.length).toBeGreaterThan(0);
    // The other lines (receivable, tax) trace to no invoice line.
    const others = je.lines.filter((l: any) => l.sourceLine?.type !== 'INVOICE_LINE');
    expect(others.length).toBeGreaterThan(0);
    for (const l of others) expect(l.invoiceLine).toBeNull();
    for (const l of revenue) {
      const line = l.invoiceLine;
      expect(line.id).toBe(l.sourceLine.id);
      expect(line.invoice.id).toBe(je.source.id);
      expect(line.kind).toBe('TIME');
      expect(line.billableItems.length).toBeGreaterThan(0);
      // The invoice line bills the items' hours after contract rounding; the time entries carry the
      // recorded hours, which each item also keeps as sourceHours.
      const billed = line.billableItems.reduce((s: number, i: any) => s + i.hours, 0);
      expect(billed).toBeCloseTo(line.quantity, 2);
      const recorded = line.billableItems.reduce((s: number, i: any) => s + i.timeEntry.hours, 0);
      expect(recorded).toBe(line.billableItems.reduce((s: number, i: any) => s + i.sourceHours, 0));
      for (const i of line.billableItems) {
        expect(i.timeEntry.project.opportunity).not.toBeNull();
        expect(i.timeEntry.project.opportunity.stage).toBe('CLOSED_WON');
      }
    }
    // Where the contract rounds nothing away (quarter-hour entries, 15-minute UP rounding), the time
    // entries' hours are the invoice line's quantity exactly.
    const [q] = await sql(`
      select l.id, l.quantity::text as quantity, sum(e.minutes)::int as minutes
      from billing.invoice_lines l
      join billing.billable_items b on b.invoice_line_id = l.id
      join time.time_entries e on e.id = b.source_id
      join billing.rules r on r.project_id = b.project_id and r.rounding_increment_minutes = 15
      group by l.id, l.quantity order by l.id limit 1`);
    expect(Number(q.quantity)).toBe(q.minutes / 60);
  });

  it('runs the lineage query of docs/lineage.md as written', async () => {
    const doc = readFileSync(new URL('../../docs/lineage.md', import.meta.url), 'utf8');
    const query = doc.split('```graphql')[1]!.split('```')[0]!;
    const [entry] = await sql(`
      select j.id from erp.journal_entries j
      join billing.invoice_lines l on l.invoice_id = j.source_id and l.kind = 'TIME'
      join billing.billable_items b on b.invoice_line_id = l.id
      where j.source_type = 'INVOICE' order by j.id desc limit 1`);
    const res = await g.request(query, { journalEntryId: entry.id });
    expect(res.body.errors).toBeUndefined();
    const opportunities = res.body.data.journalEntry.lines.flatMap((l: any) =>
      (l.invoiceLine?.billableItems ?? []).map((i: any) => i.timeEntry.project.opportunity),
    );
    expect(opportunities.length).toBeGreaterThan(0);
    for (const o of opportunities) expect(o.customer.name).toBeTruthy();
  });

  it('costs the same number of SQL statements with 200 more projects and their time and items', async () => {
    const count = async () => {
      g.database.statements.length = 0;
      await report();
      return g.database.statements.length;
    };
    const before = await count();
    // 14 statements for the report (two more only when invoice digests differ), plus psa's entity lookup for `project { code }`.
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThanOrEqual(16);
    const [sheet] = await sql(
      `select id, resource_id, week_start::text from time.timesheets where status = 'APPROVED' order by week_start desc limit 1`,
    );
    await g.database.pool.query(
      `insert into psa.projects (id, code, name, customer_id, legal_entity_id, currency, start_date, status, service_line)
         select 'prj_y' || i, 'Y-' || i, 'Extra ' || i, 'cus_0001', 'LE-US', 'USD', '2026-01-01', 'ACTIVE', 'ADVISORY' from generate_series(1, 200) i;
       insert into time.projects (id, customer_id, name, status) select 'prj_y' || i, 'cus_0001', 'Extra ' || i, 'ACTIVE' from generate_series(1, 200) i;
       insert into billing.rules (project_id, customer_id, contract_id, legal_entity_id, billing_model, currency, service_line)
         select 'prj_y' || i, 'cus_0001', 'ctr_y' || i, 'LE-US', 'TIME_AND_MATERIALS', 'USD', 'ADVISORY' from generate_series(1, 200) i;
       insert into time.time_entries (id, timesheet_id, resource_id, project_id, customer_id, work_date, minutes, billable, status, billing_status)
         select 'te_y' || i || '_' || k, $1, $2, 'prj_y' || i, 'cus_0001', $3::date + k, 60, true, 'APPROVED', 'UNBILLED'
         from generate_series(1, 200) i, generate_series(0, 4) k;
       insert into billing.billable_items (id, source_type, source_id, project_id, customer_id, resource_id, work_date, source_minutes, minutes, rate_minor, rate_source, amount_minor, currency)
         select 'bi_y' || i || '_' || k, 'TIME_ENTRY', 'te_y' || i || '_' || k, 'prj_y' || i, 'cus_0001', $2, $3::date + k, 60, 60, 15000, 'TEST', 15000, 'USD'
         from generate_series(1, 200) i, generate_series(0, 4) k;`
        .replaceAll('$1', `'${sheet.id}'`)
        .replaceAll('$2', `'${sheet.resource_id}'`)
        .replaceAll('$3', `'${sheet.week_start}'`),
    );
    expect(await count()).toBe(before);
    const r = await report();
    expect(r.discrepancyCount).toBe(0);
    expect(r.wip.filter((w: any) => w.project.id.startsWith('prj_y'))).toHaveLength(200);
  });
});

describe('planted discrepancies', () => {
  it('finds each planted difference, names it and gives its amounts', async () => {
    // 1. An issued, unpaid invoice whose journal entry is deleted: issued but not posted.
    const [inv] = await sql(`
      select i.id, i.number, i.total_minor::text as total, i.currency, i.project_id, j.id as journal_id
      from billing.invoices i join erp.journal_entries j on j.source_type = 'INVOICE' and j.source_id = i.id
      where i.status = 'ISSUED' order by i.id limit 1`);
    await g.database.pool.query(`
      update erp.receivables set journal_entry_id = null where journal_entry_id = '${inv.journal_id}';
      delete from erp.journal_lines where journal_entry_id = '${inv.journal_id}';
      delete from erp.journal_entries where id = '${inv.journal_id}';`);
    // 2. A receivable whose open amount is changed by 123.45: AR differs from billing.
    const [rec] = await sql(
      `select id, customer_id, currency from erp.receivables where open_minor > 20000 and customer_id <> (select customer_id from billing.invoices where id = $1) order by id limit 1`,
      [inv.id],
    );
    // A credit the erp applied that billing never issued: the receivable stays settled from its facts.
    await sql(`update erp.receivables set open_minor = open_minor - 12345, credited_minor = credited_minor + 12345 where id = $1`, [
      rec.id,
    ]);
    // 3. Time on a project psa does not know.
    const [some] = await sql(
      `select timesheet_id, resource_id, customer_id, work_date::text from time.time_entries where status = 'APPROVED' order by id limit 1`,
    );
    await sql(`insert into time.projects (id, customer_id, name, status) values ('prj_ghost', $1, 'Ghost project', 'ACTIVE')`, [
      some.customer_id,
    ]);
    await sql(
      `insert into time.time_entries (id, timesheet_id, resource_id, project_id, customer_id, work_date, minutes, billable, status)
      values ('te_ghost', $1, $2, 'prj_ghost', $3, $4, 90, false, 'DRAFT')`,
      [some.timesheet_id, some.resource_id, some.customer_id, some.work_date],
    );
    // 4. Time after a closed project's end date.
    const [closed] = await sql(
      `select p.id, p.end_date::text as end_date, p.customer_id from psa.projects p where p.status = 'CLOSED' and p.end_date is not null order by p.id limit 1`,
    );
    await sql(
      `insert into time.time_entries (id, timesheet_id, resource_id, project_id, customer_id, work_date, minutes, billable, status)
      values ('te_late', $1, $2, $3, $4, $5::date + 3, 120, false, 'DRAFT')`,
      [some.timesheet_id, some.resource_id, closed.id, closed.customer_id, closed.end_date],
    );
    // 5. An approved billable T&M entry without a billable item.
    const [tm] = await sql(
      `select r.project_id, r.customer_id from billing.rules r where r.billing_model = 'TIME_AND_MATERIALS' and r.active and r.project_id not like 'prj_y%' order by r.project_id limit 1`,
    );
    await sql(
      `insert into time.time_entries (id, timesheet_id, resource_id, project_id, customer_id, work_date, minutes, billable, status, billing_status)
      values ('te_noitem', $1, $2, $3, $4, '2026-10-20', 165, true, 'APPROVED', 'UNBILLED')`,
      [some.timesheet_id, some.resource_id, tm.project_id, tm.customer_id],
    );
    // 6. An UNBILLED item from 120 days ago, never invoiced (its source is outside time on purpose).
    const [tm2] = await sql(
      `select r.project_id, r.customer_id, r.currency from billing.rules r where r.billing_model = 'TIME_AND_MATERIALS' and r.active and r.project_id not like 'prj_y%' and r.project_id <> $1 order by r.project_id limit 1`,
      [tm.project_id],
    );
    await sql(
      `insert into billing.billable_items (id, source_type, source_id, project_id, customer_id, resource_id, work_date, source_minutes, minutes, rate_minor, rate_source, amount_minor, currency)
      values ('bi_old', 'TIME_ENTRY', 'te_not_in_time', $1, $2, $3, '2026-07-26', 180, 180, 20000, 'TEST', 60000, $4)`,
      [tm2.project_id, tm2.customer_id, some.resource_id, tm2.currency],
    );

    const r = await report();
    const byName = Object.fromEntries(r.checks.map((c: any) => [c.name, c]));
    expect(byName.INVOICES_NOT_POSTED).toMatchObject({ status: 'DISCREPANCY', count: 1 });
    expect(r.unpostedInvoices).toEqual([
      expect.objectContaining({
        invoice: { id: inv.id, number: inv.number },
        number: inv.number,
        project: { id: inv.project_id },
        total: { minorUnits: inv.total, currency: inv.currency },
        status: 'ISSUED',
      }),
    ]);

    expect(byName.AR_DIFFERENCE).toMatchObject({ status: 'DISCREPANCY', count: 1 });
    expect(r.arDifferences).toHaveLength(1);
    const ar = r.arDifferences[0];
    expect(ar.customer.id).toBe(rec.customer_id);
    expect(ar.difference).toEqual({ amount: '123.45', minorUnits: '12345', currency: rec.currency });
    expect(BigInt(ar.billingOpen.minorUnits) - BigInt(ar.erpOpen.minorUnits)).toBe(12345n);

    expect(byName.TIME_ON_UNKNOWN_OR_CLOSED_PROJECT).toMatchObject({ status: 'DISCREPANCY', count: 2 });
    expect(r.misplacedTime).toContainEqual({
      projectId: 'prj_ghost',
      project: null,
      reason: 'UNKNOWN_PROJECT',
      count: 1,
      hours: 1.5,
      firstWorkDate: null,
      lastWorkDate: some.work_date,
      projectEndDate: null,
    });
    expect(r.misplacedTime).toContainEqual(
      expect.objectContaining({
        projectId: closed.id,
        project: { id: closed.id },
        reason: 'AFTER_PROJECT_END',
        count: 1,
        hours: 2,
        projectEndDate: closed.end_date,
      }),
    );

    expect(byName.TIME_WITHOUT_BILLABLE_ITEM).toMatchObject({ status: 'DISCREPANCY', count: 1 });
    expect(r.timeWithoutBillableItem).toEqual([
      expect.objectContaining({ project: expect.objectContaining({ id: tm.project_id }), count: 1, hours: 2.75 }),
    ]);

    expect(byName.STALE_BILLABLE_ITEMS).toMatchObject({ status: 'DISCREPANCY', count: 1 });
    expect(r.staleBillableItems).toEqual([
      {
        project: { id: tm2.project_id },
        count: 1,
        hours: 3,
        value: { minorUnits: '60000', currency: tm2.currency },
        oldestWorkDate: '2026-07-26',
        dueSince: '2026-07-31',
        daysOverdue: 115,
        releasedByCreditMemos: [],
      },
    ]);
    // The old item is also WIP value more than 90 days old.
    const wip = r.wip.find((w: any) => w.project.id === tm2.project_id);
    expect(wip.buckets[3].value.minorUnits).toBe('60000');

    expect(r.discrepancyCount).toBe(6);

    // A project's own view, and a customer's AR difference, batched through the sync subgraph.
    const res = await g.request(
      `query Views($asOf: Date) {
        reconciliation(asOf: $asOf) {
          timeWithoutBillableItem { project { code reconciliation(asOf: $asOf) { discrepancyCount timeWithoutBillableItem { count hours } wip { hours } } } }
          arDifferences { customer { arDifference { currency difference { minorUnits } } } }
        }
      }`,
      { asOf: AS_OF },
    );
    expect(res.body.errors).toBeUndefined();
    const view = res.body.data.reconciliation;
    expect(view.timeWithoutBillableItem[0].project.reconciliation).toMatchObject({
      discrepancyCount: 1,
      timeWithoutBillableItem: { count: 1, hours: 2.75 },
    });
    expect(view.timeWithoutBillableItem[0].project.reconciliation.wip.hours).toBeGreaterThanOrEqual(2.75);
    expect(view.arDifferences[0].customer.arDifference).toEqual([{ currency: rec.currency, difference: { minorUnits: '12345' } }]);
  });

  it('refuses a staleness limit out of range', async () => {
    const res = await g.request(`{ reconciliation(staleAfterDays: -1) { discrepancyCount } }`);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
