import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld, isDatabaseEmpty, SeedRefusedError, seedDemo, type World, worldCounts } from '../seed/index.ts';
import { SYNC_SOURCE_TYPES } from '../subgraphs/sync/data/tables.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

const AS_OF = '2026-11-23';
let t: TestDatabase;
let world: World;

/** Rows of a query; counts come back as numbers (int casts), sums are compared inside SQL. */
async function rows<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return (await t.pool.query(text, params)).rows as T[];
}
async function count(text: string, params: unknown[] = []): Promise<number> {
  const [r] = await rows<{ n: number }>(`select count(*)::int as n from (${text}) q`, params);
  return r!.n;
}

beforeAll(async () => {
  t = await createTestDatabase();
  world = (await seedDemo(t.db, { scale: 1, seed: 42, asOf: AS_OF })).world;
}, 120_000);
afterAll(async () => t?.drop());

const hash = (w: World) => createHash('sha256').update(JSON.stringify(w)).digest('hex');

describe('demo seed: generation', () => {
  it('is deterministic: the same seed, scale and as-of date give an identical world; another seed another one', () => {
    const again = generateWorld({ scale: 1, seed: 42, asOf: AS_OF });
    expect(worldCounts(again)).toEqual(worldCounts(world));
    expect(hash(again)).toBe(hash(world));
    expect(hash(generateWorld({ scale: 1, seed: 7, asOf: AS_OF }))).not.toBe(hash(world));
  });

  it('scales customers, resources, projects and time with --scale', () => {
    const half = worldCounts(generateWorld({ scale: 0.5, seed: 42, asOf: AS_OF }));
    const one = worldCounts(world);
    expect(half['crm.customers']).toBe(25);
    expect(half['psa.resources']).toBe(20);
    expect(half['psa.projects']!).toBeGreaterThan(0);
    expect(half['psa.projects']!).toBeLessThan(one['psa.projects']!);
    expect(half['time.time_entries']!).toBeLessThan(one['time.time_entries']! * 0.7);
  });

  it('uses readable sequential ids', () => {
    expect(world.tables['crm.customers'][0]!.id).toBe('cus_0001');
    expect(world.tables['crm.opportunities'][0]!.id).toBe('opp_0001');
    expect(world.tables['psa.projects'][0]!.id).toBe('prj_0001');
    expect(world.tables['psa.resources'][0]!.id).toBe('res_0001');
    expect(world.tables['time.time_entries'][0]!.id).toBe('te_000001');
    expect(world.tables['billing.invoices'][0]!.id).toBe('inv_000001');
    expect(world.tables['erp.journal_entries'][0]!.id).toBe('je_000001');
  });
});

describe('demo seed: written database', () => {
  it('fills every system with counts in the expected ranges', async () => {
    const n = async (table: string) => count(`select 1 from ${table}`);
    expect(await n('crm.customers')).toBe(50);
    expect(await n('crm.opportunities')).toBeGreaterThanOrEqual(110);
    expect(await n('crm.opportunities')).toBeLessThanOrEqual(130);
    expect(await count(`select distinct stage from crm.opportunities`)).toBe(6);
    expect(await n('psa.resources')).toBe(40);
    expect(await n('psa.projects')).toBe(40);
    expect(await count(`select 1 from psa.projects where status = 'CLOSED'`)).toBeGreaterThanOrEqual(2);
    expect(await count(`select 1 from psa.projects where status = 'CLOSED'`)).toBeLessThanOrEqual(3);
    expect(await count(`select distinct scope from psa.rate_overrides`)).toBe(3);
    expect(await count(`select distinct billing_model from psa.contracts`)).toBe(3);
    expect(await n('time.timesheets')).toBe(40 * 52);
    expect(await n('time.time_entries')).toBeGreaterThan(10_000);
    expect(await n('time.time_entries')).toBeLessThan(25_000);
    expect(await n('billing.invoices')).toBeGreaterThan(100);
    expect(await n('billing.credit_memos')).toBe(2);
    expect(await n('erp.legal_entities')).toBe(2);
    expect(await n('erp.customer_masters')).toBe(48);
    expect(await count(`select 1 from erp.periods`)).toBe(26);
    expect(await count(`select 1 from erp.periods where status = 'OPEN'`)).toBe(6);
    expect(await n('erp.fx_rates')).toBeGreaterThan(100);
    expect(await count(`select 1 from sync.jobs where status <> 'SUCCEEDED'`)).toBe(0);
    expect(await count(`select 1 from sync.job_events`)).toBe(3 * (await n('sync.jobs')));
    expect(await isDatabaseEmpty(t.db)).toBe(false);
  });

  it('sets up the demo exceptions: two customers without a master, one without a tax code, deals ready to win', async () => {
    const h = world.highlights;
    expect(await count(`select 1 from erp.customer_masters where customer_id = any($1)`, [h.customersWithoutMaster])).toBe(0);
    expect(await count(`select 1 from crm.customers where id = any($1) and legal_entity_id is null`, [h.customersWithoutMaster])).toBe(2);
    expect(await count(`select 1 from erp.customer_masters where customer_id = $1 and tax_code is null`, [h.customerWithoutTaxCode])).toBe(
      1,
    );
    expect(await count(`select 1 from erp.customer_masters where tax_code is null`)).toBe(1);
    const ready = await rows<{ stage: string; tax_code: string | null; le: string | null }>(
      `select o.stage, m.tax_code, c.legal_entity_id as le from crm.opportunities o join crm.customers c on c.id = o.customer_id
       left join erp.customer_masters m on m.customer_id = o.customer_id where o.id = any($1)`,
      [h.opportunitiesReadyToWin],
    );
    expect(ready).toHaveLength(3);
    for (const r of ready) expect(r.stage === 'NEGOTIATION' && r.tax_code !== null && r.le !== null).toBe(true);
    expect(
      await count(
        `select 1 from crm.opportunities o join erp.customer_masters m on m.customer_id = o.customer_id
      where o.id = $1 and o.stage = 'NEGOTIATION' and m.tax_code is null`,
        [h.opportunityWithoutTaxCode],
      ),
    ).toBe(1);
  });

  it('keeps opportunities and their stage history consistent: won ones have won_at and a CLOSED_WON row, one project each', async () => {
    expect(await count(`select 1 from crm.opportunities where stage = 'CLOSED_WON'`)).toBeGreaterThan(0);
    expect(await count(`select 1 from crm.opportunities where stage = 'CLOSED_WON' and won_at is null`)).toBe(0);
    expect(
      await count(`select 1 from crm.opportunities o where o.stage = 'CLOSED_WON' and not exists
      (select 1 from crm.opportunity_stage_history h where h.opportunity_id = o.id and h.stage = 'CLOSED_WON')`),
    ).toBe(0);
    expect(
      await count(`select 1 from crm.opportunities o where (select h.stage from crm.opportunity_stage_history h
      where h.opportunity_id = o.id order by h.id desc limit 1) <> o.stage`),
    ).toBe(0);
    expect(
      await count(`select 1 from crm.opportunities o where o.stage = 'CLOSED_WON'
      and not exists (select 1 from psa.projects p where p.opportunity_id = o.id)`),
    ).toBe(0);
    expect(
      await count(`select 1 from psa.projects p join crm.opportunities o on o.id = p.opportunity_id where o.stage <> 'CLOSED_WON'`),
    ).toBe(0);
  });

  it('balances every journal entry, in its currency and in the functional currency', async () => {
    expect(await count(`select 1 from erp.journal_entries`)).toBeGreaterThan(100);
    expect(
      await count(`select journal_entry_id from erp.journal_lines group by journal_entry_id
      having sum(debit_minor) <> sum(credit_minor) or sum(functional_debit_minor) <> sum(functional_credit_minor) or count(*) < 2`),
    ).toBe(0);
    expect(
      await count(
        `select 1 from erp.journal_entries e where not exists (select 1 from erp.journal_lines l where l.journal_entry_id = e.id)`,
      ),
    ).toBe(0);
    expect(
      await count(`select 1 from erp.journal_entries e join erp.periods p on p.id = e.period_id
      where e.entry_date not between p.start_date and p.end_date or p.legal_entity_id <> e.legal_entity_id`),
    ).toBe(0);
  });

  it('computes invoice totals as line sums plus tax from the tax code, and posts each invoice once with AR = total', async () => {
    expect(await count(`select 1 from billing.invoice_lines where tax_minor > 0`)).toBeGreaterThan(0);
    expect(
      await count(`select 1 from billing.invoices i left join (select invoice_id, sum(amount_minor) a, sum(tax_minor) x from billing.invoice_lines group by invoice_id) l
      on l.invoice_id = i.id where i.subtotal_minor <> coalesce(l.a, 0) or i.tax_minor <> coalesce(l.x, 0) or i.total_minor <> i.subtotal_minor + i.tax_minor`),
    ).toBe(0);
    expect(await count(`select 1 from billing.invoice_lines where tax_minor <> round(amount_minor * tax_rate_bp / 10000.0)`)).toBe(0);
    expect(
      await count(`select 1 from billing.invoices i where (select count(*) from erp.journal_entries e
      where e.source_type = 'INVOICE' and e.source_id = i.id) <> 1`),
    ).toBe(0);
    expect(
      await count(`select 1 from billing.invoices i join erp.journal_entries e on e.source_type = 'INVOICE' and e.source_id = i.id
      join erp.journal_lines l on l.journal_entry_id = e.id and l.account_code = '1200' where l.debit_minor <> i.total_minor`),
    ).toBe(0);
    expect(
      await count(`select 1 from billing.invoice_lines il where il.amount_minor > 0 and not exists (select 1 from erp.journal_lines l
      where l.source_line_type = 'INVOICE_LINE' and l.source_line_id = il.id)`),
    ).toBe(0);
  });

  it('reconciles erp receivables with billing invoices: amounts and open balances per customer', async () => {
    expect(
      await count(`select 1 from billing.invoices i full join erp.receivables r on r.invoice_id = i.id
      where r.id is null or i.id is null or r.amount_minor <> i.total_minor or r.open_minor <> i.total_minor - i.paid_minor - i.credited_minor`),
    ).toBe(0);
    expect(
      await count(`with b as (select customer_id, sum(total_minor) t, sum(total_minor - paid_minor - credited_minor) o from billing.invoices group by customer_id),
      e as (select customer_id, sum(amount_minor) t, sum(open_minor) o from erp.receivables group by customer_id)
      select 1 from b full join e using (customer_id) where b.t is distinct from e.t or b.o is distinct from e.o`),
    ).toBe(0);
    expect(
      await count(
        `select 1 from billing.invoices i where i.paid_minor <> coalesce((select sum(amount_minor) from billing.invoice_payments p where p.invoice_id = i.id), 0)`,
      ),
    ).toBe(0);
    expect(
      await count(`select 1 from billing.invoice_payments bp left join erp.payments ep on ep.id = bp.erp_payment_id
      where ep.id is null or ep.amount_minor <> bp.amount_minor or ep.invoice_id <> bp.invoice_id`),
    ).toBe(0);
    expect(
      await count(
        `select 1 from erp.payments p where (select count(*) from erp.journal_entries e where e.source_type = 'PAYMENT' and e.source_id = p.id) <> 1`,
      ),
    ).toBe(0);
    expect(await count(`select 1 from billing.invoices where status = 'PAID'`)).toBeGreaterThan(50);
    expect(
      await count(`select 1 from billing.invoices where status in ('ISSUED','PARTIALLY_PAID') and due_date < $1`, [AS_OF]),
    ).toBeGreaterThan(0);
  });

  it('bills approved billable T&M time exactly once: BILLED <-> one INVOICED item, the rest is WIP', async () => {
    const tm = `select e.* from time.time_entries e join psa.contracts c on c.project_id = e.project_id
      where c.billing_model = 'TIME_AND_MATERIALS' and e.billable and e.status = 'APPROVED'`;
    expect(
      await count(`select 1 from (${tm}) e left join (select source_id, count(*) n from billing.billable_items group by 1) b
      on b.source_id = e.id where b.n is distinct from 1`),
    ).toBe(0);
    expect(
      await count(`select 1 from (${tm}) e join billing.billable_items b on b.source_id = e.id
      where (e.billing_status = 'BILLED') <> (b.status = 'INVOICED' and b.invoice_line_id is not null)`),
    ).toBe(0);
    expect(
      await count(`select 1 from billing.billable_items b join time.time_entries e on e.id = b.source_id
      where e.status <> 'APPROVED' or not e.billable or b.minutes < 0 or b.source_minutes <> e.minutes`),
    ).toBe(0);
    expect(await count(`select 1 from time.time_entries where billing_status = 'BILLED' and (status <> 'APPROVED' or not billable)`)).toBe(
      0,
    );
    expect(await count(`select 1 from (${tm}) e where e.billing_status = 'UNBILLED'`)).toBeGreaterThan(0);
    expect(await count(`select 1 from (${tm}) e where e.billing_status = 'BILLED'`)).toBeGreaterThan(0);
    expect(await count(`select 1 from billing.billable_items where amount_minor <> round(rate_minor * minutes / 60.0)`)).toBe(0);
    // Items sum to their line, and lines to the subtotal of every T&M invoice that was not credited.
    expect(
      await count(`select 1 from billing.invoice_lines il where il.kind = 'TIME' and il.credited_minor = 0 and il.amount_minor <>
      coalesce((select sum(b.amount_minor) from billing.billable_items b where b.invoice_line_id = il.id), -1)`),
    ).toBe(0);
  });

  it('prices items by the documented rate order: entry override, then overrides, then the rate card', async () => {
    const sources = await rows<{ rate_source: string }>(`select distinct rate_source from billing.billable_items order by 1`);
    expect(sources.map((s) => s.rate_source)).toContain('RATE_CARD');
    expect(sources.length).toBeGreaterThanOrEqual(4);
    expect(
      await count(`select 1 from billing.billable_items b join time.time_entries e on e.id = b.source_id
      where (e.rate_override_minor is not null) <> (b.rate_source = 'ENTRY_OVERRIDE') or (e.rate_override_minor is not null and b.rate_minor <> e.rate_override_minor)`),
    ).toBe(0);
    expect(
      await count(`select 1 from billing.billable_items b join psa.projects p on p.id = b.project_id where b.rate_source = 'RATE_CARD'
      and b.rate_minor <> (select r.rate_minor from psa.rate_card_rates r where r.rate_card_id = p.rate_card_id and r.role = b.role
        and r.effective_from <= b.work_date order by r.effective_from desc limit 1)`),
    ).toBe(0);
    expect(
      await count(`select 1 from billing.billable_items b where b.rate_source = 'RATE_CARD' and exists (select 1 from psa.rate_overrides o
      where o.scope = 'PROJECT_RESOURCE' and o.project_id = b.project_id and o.resource_id = b.resource_id and o.effective_from <= b.work_date)`),
    ).toBe(0);
  });

  it('numbers invoices and credit memos gap-free per legal entity in issue-date order, with the next number stored', async () => {
    for (const [table, type] of [
      ['billing.invoices', 'INVOICE'],
      ['billing.credit_memos', 'CREDIT_MEMO'],
    ] as const) {
      const list = await rows<{ legal_entity_id: string; number: string; issue_date: string }>(
        `select legal_entity_id, number, issue_date from ${table} order by legal_entity_id, split_part(number, '-', -1)::int`,
      );
      expect(list.length, table).toBeGreaterThan(0);
      const byEntity = new Map<string, typeof list>();
      for (const r of list) byEntity.set(r.legal_entity_id, [...(byEntity.get(r.legal_entity_id) ?? []), r]);
      for (const [le, docs] of byEntity) {
        docs.forEach((d, i) => {
          expect(Number(d.number.split('-').at(-1))).toBe(i + 1);
          expect(d.number.split('-').at(-2)).toBe(d.issue_date.slice(0, 4));
        });
        // In number order the issue dates never go back.
        const dates = docs.map((d) => d.issue_date);
        expect(dates).toEqual([...dates].sort());
        const [seq] = await rows<{ next_number: number }>(
          `select next_number from billing.number_sequences where legal_entity_id = $1 and document_type = $2`,
          [le, type],
        );
        expect(seq?.next_number).toBe(docs.length + 1);
      }
    }
  });

  it('keeps time realistic: quarter hours, never over 24 h a day per resource, entries mirror their timesheet status', async () => {
    expect(await count(`select 1 from time.time_entries where minutes <= 0 or minutes % 15 <> 0`)).toBe(0);
    expect(await count(`select resource_id, work_date from time.time_entries group by 1, 2 having sum(minutes) > 1440`)).toBe(0);
    expect(
      await count(`select resource_id, work_date from time.time_entries group by 1, 2 having sum(minutes) not between 360 and 540`),
    ).toBe(0);
    expect(
      await count(
        `select 1 from time.time_entries e join time.timesheets s on s.id = e.timesheet_id
      where e.status <> s.status or e.resource_id <> s.resource_id or e.work_date not between s.week_start and s.week_start + 6 or e.work_date >= $1`,
        [AS_OF],
      ),
    ).toBe(0);
    expect(await count(`select 1 from time.timesheets where status = 'REJECTED' and rejection_reason is not null`)).toBeGreaterThanOrEqual(
      2,
    );
    expect(await count(`select 1 from time.timesheets where status = 'APPROVED' and week_start > $1::date - 21`, [AS_OF])).toBe(0);
    expect(await count(`select 1 from time.time_entries where not billable`)).toBeGreaterThan(0);
  });

  it('undoes the billing of a fully credited T&M invoice (UNBILL) and keeps the partial credit on its invoice', async () => {
    const memos = await rows<{
      id: string;
      invoice_id: string;
      time_disposition: string;
      total_minor: number;
      inv_total: number;
      inv_status: string;
    }>(
      `select m.id, m.invoice_id, m.time_disposition, m.total_minor, i.total_minor as inv_total, i.status as inv_status
       from billing.credit_memos m join billing.invoices i on i.id = m.invoice_id order by m.id`,
    );
    const full = memos.find((m) => m.id === world.highlights.fullCreditMemo)!;
    expect(full).toMatchObject({ time_disposition: 'UNBILL', inv_status: 'CREDITED' });
    expect(full.total_minor).toBe(full.inv_total);
    expect(
      await count(
        `select 1 from billing.billable_items b join billing.invoice_lines l on l.id = b.invoice_line_id where l.invoice_id = $1`,
        [full.invoice_id],
      ),
    ).toBe(0);
    expect(await count(`select 1 from erp.journal_entries where source_type = 'CREDIT_MEMO' and reverses_id is not null`)).toBe(1);
    const partial = memos.find((m) => m.id === world.highlights.partialCreditMemo)!;
    expect(partial.total_minor).toBeLessThan(partial.inv_total);
    expect(
      await count(
        `select 1 from billing.credit_memos m where (select count(*) from erp.journal_entries e where e.source_type = 'CREDIT_MEMO' and e.source_id = m.id) <> 1`,
      ),
    ).toBe(0);
  });

  it('posts monthly project cost at resource cost rates, below the revenue of the same work', async () => {
    const [r] = await rows<{ bad: number; entries: number }>(`
      with approved as (select e.project_id, to_char(e.work_date, 'YYYY-MM') m, sum(e.minutes * r.cost_rate_minor / 60.0) cost
        from time.time_entries e join psa.resources r on r.id = e.resource_id where e.status = 'APPROVED' group by 1, 2),
      posted as (select split_part(source_id, ':', 1) project_id, split_part(source_id, ':', 2) m, sum(l.debit_minor) cost
        from erp.journal_entries j join erp.journal_lines l on l.journal_entry_id = j.id where j.source_type = 'PROJECT_COST' group by 1, 2)
      select count(*) filter (where abs(a.cost - coalesce(p.cost, 0)) > 5)::int bad, count(p.cost)::int entries
      from approved a left join posted p using (project_id, m)`);
    expect(r!.bad).toBe(0);
    expect(r!.entries).toBeGreaterThan(100);
    expect(
      await count(`select 1 from psa.resources r join psa.rate_cards c on c.currency = r.cost_currency
      join psa.rate_card_rates x on x.rate_card_id = c.id and x.role = r.role where r.cost_rate_minor >= x.rate_minor`),
    ).toBe(0);
  });

  it("writes sync source types in the live path's vocabulary (SyncSource.type), the one the engine writes", async () => {
    const types = await rows<{ source_type: string; n: number }>(
      `select source_type, count(*)::int as n from sync.jobs group by 1 order by 1`,
    );
    expect(types.length).toBeGreaterThan(0);
    expect(types.map((r) => r.source_type).filter((t) => !(SYNC_SOURCE_TYPES as readonly string[]).includes(t))).toEqual([]);
    expect(types.map((r) => r.source_type)).toEqual(['Invoice', 'Opportunity', 'Payment']);
  });

  it('refuses to seed a database that already has customers', async () => {
    await expect(seedDemo(t.db, { asOf: AS_OF })).rejects.toBeInstanceOf(SeedRefusedError);
    expect(await count(`select 1 from crm.customers`)).toBe(50);
  });
});
