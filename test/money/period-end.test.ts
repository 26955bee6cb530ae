import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, waitForJob } from '../sync/helpers.ts';
import { accountBalance, arOfInvoice, type MoneyWorld, startMoneyWorld } from './world.ts';

// Period end (docs/money.md): open foreign receivables revalued and unbilled work accrued on the
// period's last day, both reversed on the next period's first day; and the cumulative trial balance.
let w: MoneyWorld;

beforeAll(async () => {
  w = await startMoneyWorld();
  ok(await w.g.request(`mutation { setFxRate(from: "EUR", to: "USD", date: "2026-12-07", rate: "1.08000000") { rate } }`));
  ok(await w.g.request(`mutation { setFxRate(from: "EUR", to: "USD", date: "2026-12-31", rate: "1.12000000") { rate } }`));
}, 120_000);
afterAll(async () => w?.stop());

const linesOf = (sourceType: string, sourceId: string) =>
  w.sql(
    `select e.entry_date::text, l.account_code, l.debit_minor::int d, l.credit_minor::int c, l.functional_debit_minor::int fd, l.functional_credit_minor::int fc,
            l.customer_id, l.source_line_type
       from erp.journal_entries e join erp.journal_lines l on l.journal_entry_id = e.id
      where e.source_type = $1 and e.source_id = $2 order by l.line_no`,
    [sourceType, sourceId],
  );

describe('period end', () => {
  let customerId: string;
  let invoiceId: string;
  let wipProject: string;

  it('revalues an open EUR receivable of a USD entity at the period-end rate and reverses it the next day; AR keeps the invoice rate', async () => {
    customerId = await w.customer({ legalEntityId: 'LE-US', currency: 'EUR', taxCode: 'US-EXEMPT' });
    const { projectId, resourceId } = await w.project({ customerId, currency: 'EUR', rate: '100.00' });
    await w.book(projectId, resourceId, [['2026-12-01', 8]]);
    [invoiceId] = (await w.bill(projectId, '2026-12-06', '2026-12-07')) as [string];
    // Unbilled work of the same project, approved after the invoice: the accrual's subject below.
    await w.book(projectId, resourceId, [['2026-12-14', 5]]);
    wipProject = projectId;
    // 800.00 EUR open at 1.08 = 864.00 USD on AR; at 1.12 it is worth 896.00: 32.00 unrealized gain.
    expect(await arOfInvoice(w, invoiceId)).toEqual({ entry: 80000, functional: 86400 });
    const run = ok<any>(await w.g.request(`mutation { runPeriodEnd(legalEntityId: "LE-US", periodCode: "2026-12") { ok job { id } } }`));
    expect(run.runPeriodEnd.ok).toBe(true);
    expect((await waitForJob(w.g, 'PERIOD_END', 'LE-US:2026-12')).status).toBe('SUCCEEDED');
    const mine = (rows: any[]) => rows.filter((l) => l.customer_id === customerId).map((l) => [l.entry_date, l.account_code, l.fd, l.fc]);
    expect(mine(await linesOf('REVALUATION', 'LE-US:2026-12'))).toEqual([
      ['2026-12-31', '1250', 3200, 0],
      ['2026-12-31', '7150', 0, 3200],
    ]);
    expect(mine(await linesOf('REVALUATION_REVERSAL', 'LE-US:2026-12'))).toEqual([
      ['2027-01-01', '1250', 0, 3200],
      ['2027-01-01', '7150', 3200, 0],
    ]);
    expect(await arOfInvoice(w, invoiceId)).toEqual({ entry: 80000, functional: 86400 });
    expect(await accountBalance(w, customerId, '1250')).toBe(0);
  });

  it('accrues approved unbilled work as revenue at the period end and reverses it on the first day of the next period', async () => {
    const mine = (rows: any[]) =>
      rows.filter((l) => l.customer_id === customerId).map((l) => [l.entry_date, l.account_code, l.d, l.c, l.fd, l.fc]);
    // 5 h at 100.00 EUR = 500.00 EUR, at the 1.12 of 2026-12-31 = 560.00 USD.
    expect(mine(await linesOf('WIP_ACCRUAL', 'LE-US:2026-12:EUR'))).toEqual([
      ['2026-12-31', '1300', 50000, 0, 56000, 0],
      ['2026-12-31', '4100', 0, 50000, 0, 56000],
    ]);
    expect(mine(await linesOf('WIP_ACCRUAL_REVERSAL', 'LE-US:2026-12:EUR'))).toEqual([
      ['2027-01-01', '1300', 0, 50000, 0, 56000],
      ['2027-01-01', '4100', 50000, 0, 56000, 0],
    ]);
    const items = await w.sql(`select status from billing.billable_items where project_id = $1 order by work_date`, [wipProject]);
    expect(items.map((i) => i.status)).toEqual(['INVOICED', 'UNBILLED']);
  });

  it('a replay posts nothing new; a closed period gets no period end (PERIOD_CLOSED)', async () => {
    const count = async () => (await w.sql(`select count(*)::int n from erp.journal_entries where source_id like 'LE-US:2026-12%'`))[0].n;
    const before = await count();
    const [job] = await w.sql(`select id from sync.jobs where kind = 'PERIOD_END' and source_id = 'LE-US:2026-12'`);
    ok(await w.g.request(`mutation($id: ID!) { replaySyncJob(id: $id) { ok } }`, { id: job.id }));
    await w.settled();
    expect(await count()).toBe(before);
    // 2026-09 is the oldest open month of the demo: close it, then ask for its period end.
    ok(await w.g.request(`mutation { closePeriod(legalEntityId: "LE-US", code: "2026-09") { status } }`));
    ok(await w.g.request(`mutation { runPeriodEnd(legalEntityId: "LE-US", periodCode: "2026-09") { ok } }`));
    const late = await waitForJob(w.g, 'PERIOD_END', 'LE-US:2026-09');
    expect([late.status, late.lastError?.code]).toEqual(['EXCEPTION', 'PERIOD_CLOSED']);
  });
});

describe('writing off unbilled work', () => {
  it('writes the item and its time off, posts its standard value (revenue and unbilled work written off), and no run bills it', async () => {
    const customerId = await w.customer({ legalEntityId: 'LE-DE', currency: 'EUR', taxCode: 'DE-VAT19' });
    const { projectId, resourceId } = await w.project({ customerId, currency: 'EUR', rate: '90.00' });
    const [entry] = await w.book(projectId, resourceId, [['2026-12-02', 3]]);
    const [item] = await w.sql(`select id from billing.billable_items where source_id = $1`, [entry]);
    const res = ok<any>(
      await w.g.request(
        `mutation($ids: [ID!]!) { writeOffUnbilledWork(itemIds: $ids, reason: "Internal rework", date: "2026-12-04") { id status } }`,
        {
          ids: [item.id],
        },
      ),
    );
    expect(res.writeOffUnbilledWork).toEqual([{ id: item.id, status: 'WRITTEN_OFF' }]);
    await w.settled();
    expect((await w.sql(`select billing_status from time.time_entries where id = $1`, [entry]))[0].billing_status).toBe('WRITTEN_OFF');
    const [job] = await w.sql(`select source_id, status from sync.jobs where kind = 'WIP_WRITTEN_OFF' and payload->'itemIds' ? $1`, [
      item.id,
    ]);
    expect(job.status).toBe('SUCCEEDED');
    const lines = await linesOf('WIP_WRITE_OFF', `${job.source_id}:LE-DE:EUR`);
    expect(lines.map((l) => [l.entry_date, l.account_code, l.d, l.c, l.source_line_type])).toEqual([
      ['2026-12-04', '6200', 27000, 0, 'BILLABLE_ITEM'],
      ['2026-12-04', '4100', 0, 27000, 'BILLABLE_ITEM'],
    ]);
    expect(await w.bill(projectId, '2026-12-31', '2026-12-31')).toEqual([]);
    // Written off twice is the same write-off: nothing new is posted.
    ok(await w.g.request(`mutation($ids: [ID!]!) { writeOffUnbilledWork(itemIds: $ids, reason: "Again") { id } }`, { ids: [item.id] }));
    await w.settled();
    expect(
      (await w.sql(`select count(*)::int n from sync.jobs where kind = 'WIP_WRITTEN_OFF' and payload->'itemIds' ? $1`, [item.id]))[0].n,
    ).toBe(1);
  });
});

describe('cumulative trial balance', () => {
  const TB = `query($p: String!) { trialBalance(legalEntityId: "LE-US", periodCode: $p, cumulative: true) {
    rows { account { code type } opening { minorUnits } debit { minorUnits } credit { minorUnits } closing { minorUnits } }
    totalOpening { minorUnits } totalClosing { minorUnits } } }`;

  it('opens each period where the last one closed; the openings and closings net to zero', async () => {
    const nov = ok<any>(await w.g.request(TB, { p: '2026-11' })).trialBalance;
    const dec = ok<any>(await w.g.request(TB, { p: '2026-12' })).trialBalance;
    for (const tb of [nov, dec]) {
      expect(tb.rows.length).toBeGreaterThan(5);
      expect([tb.totalOpening.minorUnits, tb.totalClosing.minorUnits]).toEqual(['0', '0']);
    }
    const closing = new Map(nov.rows.map((r: any) => [r.account.code, r.closing.minorUnits]));
    const opening = new Map(dec.rows.map((r: any) => [r.account.code, r.opening.minorUnits]));
    const balanceSheet = nov.rows.filter(
      (r: any) => ['ASSET', 'LIABILITY', 'EQUITY'].includes(r.account.type) && r.closing.minorUnits !== '0',
    );
    expect(balanceSheet.map((r: any) => r.account.code)).toContain('1200');
    for (const r of balanceSheet) expect(opening.get(r.account.code)).toBe(closing.get(r.account.code));
  });

  it('rolls the income statement of earlier fiscal years into retained earnings', async () => {
    // The demo starts in 2025-11: its 2025 results open 2026 on retained earnings (3000).
    const [prior] = await w.sql(
      `select coalesce(sum(l.functional_debit_minor - l.functional_credit_minor), 0)::bigint r
         from erp.journal_entries e join erp.journal_lines l on l.journal_entry_id = e.id join erp.accounts a on a.legal_entity_id = l.legal_entity_id and a.code = l.account_code
        where e.legal_entity_id = 'LE-US' and e.entry_date < '2026-01-01' and a.type in ('REVENUE','EXPENSE')`,
    );
    expect(Number(prior.r)).not.toBe(0);
    const jan = ok<any>(await w.g.request(TB, { p: '2026-01' })).trialBalance;
    const re = jan.rows.find((r: any) => r.account.code === '3000');
    expect(re.opening.minorUnits).toBe(String(prior.r));
    for (const r of jan.rows.filter((x: any) => ['REVENUE', 'EXPENSE'].includes(x.account.type))) expect(r.opening.minorUnits).toBe('0');
  });
});
