import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING_PATH, loadMapping } from '../../lib/mapping.ts';
import { closePeriod, postJournalEntry } from '../../subgraphs/erp/api/index.ts';
import { systemsOf } from '../../sync-jobs/flow.ts';
import { postWithPolicy } from '../../sync-jobs/flows/posting.ts';
import { type MoneyWorld, startMoneyWorld } from './world.ts';

// Periods are the erp's: a posting opens its month, never one behind a closed month, and a close
// waits for the postings in flight (issue 13, defects 5, 6 and 9). This file runs on a mapping whose
// US cash account is 1010, so a payment that still posts to a hard-coded 1000 shows.
const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-mapping-'));
const file = path.join(dir, 'mapping.yaml');
writeFileSync(
  file,
  readFileSync(DEFAULT_MAPPING_PATH, 'utf8')
    .replace('version: "', 'version: "bank-1010-')
    .replace(/(LE-US:[\s\S]*?cash: )"1000"/, '$1"1010"')
    .replace(
      '  - { code: "1200", name: Accounts receivable',
      '  - { code: "1010", name: Operating bank account, type: ASSET }\n  - { code: "1200", name: Accounts receivable',
    ),
);
process.env.LEDGERLINE_MAPPING_FILE = file;

let w: MoneyWorld;
beforeAll(async () => {
  w = await startMoneyWorld();
}, 120_000);
afterAll(async () => {
  await w?.stop();
  delete process.env.LEDGERLINE_MAPPING_FILE;
});

const periodOf = async (entryId: string) =>
  (
    await w.sql(`select p.code, e.entry_date from erp.journal_entries e join erp.periods p on p.id = e.period_id where e.id = $1`, [
      entryId,
    ])
  )[0];

describe('periods', () => {
  it('the first payment of a month opens the period and posts to the mapped cash and AR accounts', async () => {
    expect(loadMapping().legalEntities['LE-US']!.accounts.cash).toBe('1010');
    const customerId = await w.customer({ legalEntityId: 'LE-US', currency: 'USD', taxCode: 'US-EXEMPT' });
    const { projectId, resourceId } = await w.project({ customerId, currency: 'USD', rate: '100.00' });
    await w.book(projectId, resourceId, [['2026-11-23', 5]]);
    const [invoiceId] = await w.bill(projectId, '2026-11-27', '2026-11-27');
    expect(await w.sql(`select 1 from erp.periods where legal_entity_id = 'LE-US' and code = '2026-12'`)).toEqual([]);
    const paymentId = await w.pay(invoiceId!, '500.00', '2026-12-02', `DEC-${invoiceId}`);
    const lines = await w.sql(
      `select l.account_code, l.debit_minor, l.credit_minor from erp.journal_lines l join erp.payments p on p.journal_entry_id = l.journal_entry_id
        where p.id = $1 order by l.line_no`,
      [paymentId],
    );
    expect(lines.map((l) => [l.account_code, Number(l.debit_minor), Number(l.credit_minor)])).toEqual([
      ['1010', 50000, 0],
      ['1200', 0, 50000],
    ]);
    const [pay] = await w.sql(`select journal_entry_id from erp.payments where id = $1`, [paymentId]);
    expect((await periodOf(pay.journal_entry_id)).code).toBe('2026-12');
  });

  it('a posting dated in a month before a closed one never opens that month: it follows the closed-period policy', async () => {
    // The demo closes every month up to 2026-08; 2025-06 has no period at all.
    const mapping = loadMapping();
    const entry = await w.g.database.db.transaction().execute((trx) =>
      postWithPolicy(systemsOf(trx).erp, mapping, {
        legalEntityId: 'LE-US',
        date: '2025-06-15',
        sourceType: 'TEST',
        sourceId: 'behind-closed',
        currency: 'USD',
        lines: [
          { accountCode: '1010', debit: '10.00' },
          { accountCode: '1200', credit: '10.00' },
        ],
      }),
    );
    expect(await w.sql(`select code from erp.periods where legal_entity_id = 'LE-US' and code = '2025-06'`)).toEqual([]);
    expect(await periodOf(entry.id)).toEqual({ code: '2026-09', entry_date: '2026-09-01' });
  });

  it('a posting in flight while the period closes does not land in the closed period', async () => {
    // The close holds the period until it commits; a posting that read the period as OPEN before
    // then used to insert its entry right after the close committed.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const closing = new Promise<void>((r) => {
      locked = r;
    });
    const close = w.g.database.db.transaction().execute(async (trx) => {
      await closePeriod(systemsOf(trx).erp, 'LE-US', '2026-09', new Date('2026-10-05T17:00:00Z'));
      locked();
      await held;
    });
    await closing;
    const posting = postJournalEntry(w.g.database.db, {
      legalEntityId: 'LE-US',
      date: '2026-09-30',
      sourceType: 'TEST',
      sourceId: 'in-flight',
      currency: 'USD',
      lines: [
        { accountCode: '1010', debit: '10.00' },
        { accountCode: '1200', credit: '10.00' },
      ],
    }).then(
      () => 'POSTED',
      (err) => String(err.extensions?.code ?? err.message),
    );
    await new Promise((r) => setTimeout(r, 300));
    release();
    await close;
    expect(await posting).toBe('PERIOD_CLOSED');
    const inClosed = await w.sql(
      `select e.id from erp.journal_entries e join erp.periods p on p.id = e.period_id where e.source_id = 'in-flight' and p.status = 'CLOSED'`,
    );
    expect(inClosed).toEqual([]);
  });
});
