import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerPolicy } from '../../lib/ledger-policy.ts';
import * as erpApi from '../../subgraphs/erp/api/index.ts';
import { createErpSubgraph } from '../../subgraphs/erp/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testMapping } from '../support/mapping.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let erp: ReturnType<typeof createErpSubgraph>;

const CHART = [
  { code: '1000', name: 'Cash', type: 'ASSET' },
  { code: '1200', name: 'Accounts receivable', type: 'ASSET' },
  { code: '2200', name: 'Tax payable', type: 'LIABILITY' },
  { code: '4000', name: 'Revenue', type: 'REVENUE' },
  { code: '7900', name: 'Currency rounding differences', type: 'EXPENSE' },
];
// The entities this file creates, with the accounts of the shipped ones (rounding: 7900).
const mapping = testMapping({ US01: 'LE-US', EU01: 'LE-DE' });
const policy = ledgerPolicy(mapping);

beforeAll(async () => {
  t = await createTestDatabase();
  erp = createErpSubgraph(t.db, { mapping });
  await t.db
    .insertInto('erp.legal_entities')
    .values([
      { id: 'US01', name: 'Ledgerline US Inc', country: 'US', functional_currency: 'USD' },
      { id: 'EU01', name: 'Ledgerline Europe BV', country: 'NL', functional_currency: 'EUR' },
    ])
    .execute();
  await t.db
    .insertInto('erp.accounts')
    .values([
      ...CHART.map((a) => ({ ...a, legal_entity_id: 'US01' })),
      { legal_entity_id: 'EU01', code: '4100', name: 'Revenue EU', type: 'REVENUE' },
    ])
    .execute();
  await t.db
    .insertInto('erp.periods')
    .values([
      {
        id: 'per_us_2026_01',
        legal_entity_id: 'US01',
        code: '2026-01',
        start_date: '2026-01-01',
        end_date: '2026-01-31',
        status: 'CLOSED',
        closed_at: new Date(),
      },
      { id: 'per_us_2026_02', legal_entity_id: 'US01', code: '2026-02', start_date: '2026-02-01', end_date: '2026-02-28', status: 'OPEN' },
      {
        id: 'per_us_2026_03',
        legal_entity_id: 'US01',
        code: '2026-03',
        start_date: '2026-03-01',
        end_date: '2026-03-31',
        status: 'CLOSED',
        closed_at: new Date(),
      },
    ])
    .execute();
  await t.db
    .insertInto('erp.fx_rates')
    .values([
      { from_currency: 'EUR', to_currency: 'USD', rate_date: '2026-01-01', rate: '1.10000000' },
      { from_currency: 'EUR', to_currency: 'USD', rate_date: '2026-02-01', rate: '1.08350000' },
      { from_currency: 'EUR', to_currency: 'USD', rate_date: '2026-02-20', rate: '1.20000000' },
    ])
    .execute();
});
afterAll(async () => t.drop());

const POST = `mutation($input: PostJournalEntryInput!, $options: PostingOptions) {
  postJournalEntry(input: $input, options: $options) {
    id date memo currency functionalCurrency fxRate period { code } source { type id }
    lines { lineNumber account { code } debit { amount currency } credit { amount } functionalDebit { amount currency } functionalCredit { amount } customer { id } project { id } serviceLine sourceLine { type id } }
    totals { debit { amount } credit { amount } functionalDebit { amount } functionalCredit { amount } }
  } }`;

let seq = 0;
const entry = (over: Record<string, unknown> = {}) => ({
  legalEntityId: 'US01',
  date: '2026-02-10',
  sourceType: 'INVOICE',
  sourceId: `inv_${++seq}`,
  memo: 'Invoice INV-1',
  currency: 'USD',
  lines: [
    { accountCode: '1200', debit: '1100.00', customerId: 'cus_a', projectId: 'prj_1' },
    {
      accountCode: '4000',
      credit: '1000.00',
      customerId: 'cus_a',
      projectId: 'prj_1',
      serviceLine: 'ADVISORY',
      sourceLineType: 'INVOICE_LINE',
      sourceLineId: 'il_1',
    },
    { accountCode: '2200', credit: '100.00', customerId: 'cus_a' },
  ],
  ...over,
});

async function counts() {
  const e = await t.db.selectFrom('erp.journal_entries').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const l = await t.db.selectFrom('erp.journal_lines').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return { entries: e.n, lines: l.n };
}

/** Every entry in the ledger balances in its own and in the functional currency. */
async function unbalancedEntries() {
  const r = await sql<{ id: string }>`
    select journal_entry_id as id from erp.journal_lines group by journal_entry_id
    having sum(debit_minor) <> sum(credit_minor) or sum(functional_debit_minor) <> sum(functional_credit_minor)`.execute(t.db);
  return r.rows;
}

async function expectRefused(input: Record<string, unknown>, code: string, options?: Record<string, unknown>) {
  const before = await counts();
  const res = await execute(erp, POST, { input, options });
  expect(codes(res)).toEqual([code]);
  expect(await counts()).toEqual(before);
  return res;
}

describe('erp postJournalEntry', () => {
  it('posts a balanced entry with dimensions and source lines; totals and functional amounts match', async () => {
    const res = await execute(erp, POST, { input: entry({ sourceId: 'inv_basic' }) });
    expect(res.errors).toBeUndefined();
    const e = res.data.postJournalEntry;
    expect(e).toMatchObject({
      date: '2026-02-10',
      memo: 'Invoice INV-1',
      currency: 'USD',
      functionalCurrency: 'USD',
      fxRate: '1.00000000',
      period: { code: '2026-02' },
      source: { type: 'INVOICE', id: 'inv_basic' },
    });
    expect(e.lines[1]).toEqual({
      lineNumber: 2,
      account: { code: '4000' },
      debit: { amount: '0.00', currency: 'USD' },
      credit: { amount: '1000.00' },
      functionalDebit: { amount: '0.00', currency: 'USD' },
      functionalCredit: { amount: '1000.00' },
      customer: { id: 'cus_a' },
      project: { id: 'prj_1' },
      serviceLine: 'ADVISORY',
      sourceLine: { type: 'INVOICE_LINE', id: 'il_1' },
    });
    expect(e.totals).toEqual({
      debit: { amount: '1100.00' },
      credit: { amount: '1100.00' },
      functionalDebit: { amount: '1100.00' },
      functionalCredit: { amount: '1100.00' },
    });
  });

  it('is idempotent on (legal entity, source type, source id): the same source returns the existing entry unchanged', async () => {
    const first = await execute(erp, POST, { input: entry({ sourceId: 'inv_twice' }) });
    const before = await counts();
    const again = await execute(erp, POST, {
      input: entry({
        sourceId: 'inv_twice',
        memo: 'changed',
        lines: [
          { accountCode: '1000', debit: '1.00' },
          { accountCode: '4000', credit: '1.00' },
        ],
      }),
    });
    expect(again.errors).toBeUndefined();
    expect(again.data.postJournalEntry).toEqual(first.data.postJournalEntry);
    expect(await counts()).toEqual(before);
  });

  it('UNBALANCED_JOURNAL: debits differ from credits, and nothing is written', async () => {
    const res = await expectRefused(
      entry({
        lines: [
          { accountCode: '1200', debit: '100.00' },
          { accountCode: '4000', credit: '99.99' },
        ],
      }),
      'UNBALANCED_JOURNAL',
    );
    expect(res.errors![0]!.extensions).toMatchObject({ debits: '10000', credits: '9999' });
  });

  it('UNBALANCED_JOURNAL: a line with both debit and credit, or with neither, or a single line', async () => {
    await expectRefused(
      entry({
        lines: [
          { accountCode: '1200', debit: '10.00', credit: '10.00' },
          { accountCode: '4000', credit: '0.00', debit: '0' },
        ],
      }),
      'UNBALANCED_JOURNAL',
    );
    await expectRefused(entry({ lines: [{ accountCode: '1200', debit: '10.00' }, { accountCode: '4000' }] }), 'UNBALANCED_JOURNAL');
    await expectRefused(entry({ lines: [{ accountCode: '1200', debit: '10.00' }] }), 'UNBALANCED_JOURNAL');
  });

  it('INVALID_MONEY: negative amounts, too many decimals, unknown currency', async () => {
    await expectRefused(
      entry({
        lines: [
          { accountCode: '1200', debit: '-10.00' },
          { accountCode: '4000', credit: '-10.00' },
        ],
      }),
      'INVALID_MONEY',
    );
    await expectRefused(
      entry({
        lines: [
          { accountCode: '1200', debit: '10.001' },
          { accountCode: '4000', credit: '10.001' },
        ],
      }),
      'INVALID_MONEY',
    );
    await expectRefused(entry({ currency: 'XYZ' }), 'INVALID_MONEY');
  });

  it("UNKNOWN_ACCOUNT: an account outside the legal entity's chart (even if another entity has it)", async () => {
    const res = await expectRefused(
      entry({
        lines: [
          { accountCode: '1200', debit: '5.00' },
          { accountCode: '4100', credit: '5.00' },
        ],
      }),
      'UNKNOWN_ACCOUNT',
    );
    expect(res.errors![0]!.extensions).toMatchObject({ field: 'lines[1].accountCode' });
  });

  it('NOT_FOUND: an unknown legal entity', async () => {
    await expectRefused(entry({ legalEntityId: 'XX99' }), 'NOT_FOUND');
  });

  it('PERIOD_NOT_FOUND: no period covers the date (a manual entry opens none)', async () => {
    await expectRefused(entry({ date: '2026-05-15' }), 'PERIOD_NOT_FOUND');
  });

  it('PERIOD_CLOSED: a month with no period before a closed one is closed too; it is never opened behind it', async () => {
    await expectRefused(entry({ date: '2025-12-15' }), 'PERIOD_CLOSED');
  });

  it('PERIOD_CLOSED: the period is closed and the policy is FAIL (the default)', async () => {
    await expectRefused(entry({ date: '2026-01-20' }), 'PERIOD_CLOSED');
    await expectRefused(entry({ date: '2026-01-20' }), 'PERIOD_CLOSED', { closedPeriodPolicy: 'FAIL' });
  });

  it('NEXT_OPEN: a closed period moves the entry to the first day of the next open period and says so in the memo', async () => {
    const res = await execute(erp, POST, {
      input: entry({ date: '2026-01-20', sourceId: 'inv_moved' }),
      options: { closedPeriodPolicy: 'NEXT_OPEN' },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.postJournalEntry).toMatchObject({ date: '2026-02-01', period: { code: '2026-02' } });
    expect(res.data.postJournalEntry.memo).toMatch(
      /^Invoice INV-1 \| Posted on 2026-02-01 \(period 2026-02\) because period 2026-01 was closed/,
    );
  });

  it('PERIOD_CLOSED with NEXT_OPEN when no later period is open', async () => {
    await expectRefused(entry({ date: '2026-03-05' }), 'PERIOD_CLOSED', { closedPeriodPolicy: 'NEXT_OPEN' });
  });

  it('converts a foreign-currency entry with the latest rate on or before its date and puts the rounding difference on the rounding account', async () => {
    const res = await execute(erp, POST, {
      input: entry({
        sourceId: 'inv_eur',
        currency: 'EUR',
        lines: [
          { accountCode: '1200', debit: '100.03' },
          { accountCode: '4000', credit: '33.35' },
          { accountCode: '4000', credit: '33.34' },
          { accountCode: '2200', credit: '33.34' },
        ],
      }),
    });
    expect(res.errors).toBeUndefined();
    const e = res.data.postJournalEntry;
    // 2026-02-10: the 2026-02-01 rate applies, not the older 2026-01-01 one nor the later 2026-02-20 one.
    expect(e).toMatchObject({ currency: 'EUR', functionalCurrency: 'USD', fxRate: '1.08350000' });
    // 33.35 * 1.0835 = 36.134725 -> 36.13; 33.34 * 1.0835 = 36.12389 -> 36.12; 100.03 * 1.0835 = 108.382505 -> 108.38,
    // one cent more than the credits (108.37): the cent goes to the rounding account, in the functional
    // currency alone; the receivable keeps exactly its converted amount.
    expect(
      e.lines.map((l: any) => [l.account.code, l.debit.amount, l.credit.amount, l.functionalDebit.amount, l.functionalCredit.amount]),
    ).toEqual([
      ['1200', '100.03', '0.00', '108.38', '0.00'],
      ['4000', '0.00', '33.35', '0.00', '36.13'],
      ['4000', '0.00', '33.34', '0.00', '36.12'],
      ['2200', '0.00', '33.34', '0.00', '36.12'],
      ['7900', '0.00', '0.00', '0.00', '0.01'],
    ]);
    expect(e.lines[4].sourceLine).toEqual({ type: 'ROUNDING', id: 'inv_eur' });
    expect(e.totals).toEqual({
      debit: { amount: '100.03' },
      credit: { amount: '100.03' },
      functionalDebit: { amount: '108.38' },
      functionalCredit: { amount: '108.38' },
    });
  });

  it('NOT_FOUND with field fxRate: no rate in force for a foreign currency, and nothing is written', async () => {
    const res = await expectRefused(entry({ currency: 'GBP' }), 'NOT_FOUND');
    expect(res.errors![0]!.extensions).toMatchObject({ field: 'fxRate' });
  });

  it('the database refuses an unbalanced entry inserted directly, at commit (deferred constraint trigger)', async () => {
    const before = await counts();
    await expect(
      t.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('erp.journal_entries')
          .values({
            id: 'je_raw',
            legal_entity_id: 'US01',
            entry_date: '2026-02-02',
            period_id: 'per_us_2026_02',
            source_type: 'RAW',
            source_id: 'raw1',
            memo: null,
            currency: 'USD',
            functional_currency: 'USD',
            reverses_id: null,
          })
          .execute();
        await trx
          .insertInto('erp.journal_lines')
          .values([
            {
              id: 'jl_raw1',
              journal_entry_id: 'je_raw',
              line_no: 1,
              legal_entity_id: 'US01',
              account_code: '1200',
              debit_minor: 100,
              credit_minor: 0,
              functional_debit_minor: 100,
              functional_credit_minor: 0,
            },
            {
              id: 'jl_raw2',
              journal_entry_id: 'je_raw',
              line_no: 2,
              legal_entity_id: 'US01',
              account_code: '4000',
              debit_minor: 0,
              credit_minor: 99,
              functional_debit_minor: 0,
              functional_credit_minor: 99,
            },
          ])
          .execute();
      }),
    ).rejects.toMatchObject({ code: '23514', constraint: 'journal_balanced' });
    // Balanced in the entry currency but not in the functional one: refused too.
    await expect(
      t.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('erp.journal_entries')
          .values({
            id: 'je_raw2',
            legal_entity_id: 'US01',
            entry_date: '2026-02-02',
            period_id: 'per_us_2026_02',
            source_type: 'RAW',
            source_id: 'raw2',
            memo: null,
            currency: 'EUR',
            functional_currency: 'USD',
            reverses_id: null,
          })
          .execute();
        await trx
          .insertInto('erp.journal_lines')
          .values([
            {
              id: 'jl_raw3',
              journal_entry_id: 'je_raw2',
              line_no: 1,
              legal_entity_id: 'US01',
              account_code: '1200',
              debit_minor: 100,
              credit_minor: 0,
              functional_debit_minor: 110,
              functional_credit_minor: 0,
            },
            {
              id: 'jl_raw4',
              journal_entry_id: 'je_raw2',
              line_no: 2,
              legal_entity_id: 'US01',
              account_code: '4000',
              debit_minor: 0,
              credit_minor: 100,
              functional_debit_minor: 0,
              functional_credit_minor: 109,
            },
          ])
          .execute();
      }),
    ).rejects.toMatchObject({ code: '23514' });
    expect(await counts()).toEqual(before);
  });

  it('every entry posted so far balances in both currencies', async () => {
    // The tests above posted entries (single- and foreign-currency): there is something to check.
    expect((await counts()).entries).toBeGreaterThanOrEqual(4);
    expect(await unbalancedEntries()).toEqual([]);
  });
});

const REVERSE = `mutation($entryId: ID!, $date: Date!, $sourceId: ID!, $options: PostingOptions) {
  reverseJournalEntry(entryId: $entryId, date: $date, sourceType: "CREDIT_MEMO", sourceId: $sourceId, options: $options) {
    id date memo reverses { id reversedBy { id } } lines { account { code } debit { amount } credit { amount } functionalDebit { amount } functionalCredit { amount } sourceLine { id } }
  } }`;

describe('erp reverseJournalEntry', () => {
  let original: any;
  beforeAll(async () => {
    const res = await execute(erp, POST, {
      input: entry({
        sourceId: 'inv_rev',
        currency: 'EUR',
        lines: [
          { accountCode: '1200', debit: '100.03', sourceLineType: 'INVOICE_LINE', sourceLineId: 'il_rev' },
          { accountCode: '4000', credit: '100.03' },
        ],
      }),
    });
    original = res.data.postJournalEntry;
  });

  it('posts the mirror entry with reverses set; the pair nets to zero in both currencies', async () => {
    const res = await execute(erp, REVERSE, { entryId: original.id, date: '2026-02-25', sourceId: 'cm_1' });
    expect(res.errors).toBeUndefined();
    const r = res.data.reverseJournalEntry;
    expect(r.date).toBe('2026-02-25');
    expect(r.memo).toBe(`Reversal of ${original.id} (Invoice INV-1)`);
    expect(r.reverses).toEqual({ id: original.id, reversedBy: { id: r.id } });
    // The original's functional amounts, not a reconversion at the later 1.20 rate.
    expect(r.lines).toEqual([
      {
        account: { code: '1200' },
        debit: { amount: '0.00' },
        credit: { amount: '100.03' },
        functionalDebit: { amount: '0.00' },
        functionalCredit: { amount: '108.38' },
        sourceLine: { id: 'il_rev' },
      },
      {
        account: { code: '4000' },
        debit: { amount: '100.03' },
        credit: { amount: '0.00' },
        functionalDebit: { amount: '108.38' },
        functionalCredit: { amount: '0.00' },
        sourceLine: null,
      },
    ]);
    const net = await sql<{ code: string; net: number; fnet: number }>`
      select account_code as code, sum(debit_minor - credit_minor)::bigint as net, sum(functional_debit_minor - functional_credit_minor)::bigint as fnet
        from erp.journal_lines where journal_entry_id in (${original.id}, ${r.id}) group by account_code order by account_code`.execute(
      t.db,
    );
    expect(net.rows).toEqual([
      { code: '1200', net: 0, fnet: 0 },
      { code: '4000', net: 0, fnet: 0 },
    ]);
  });

  it('is idempotent on its own source', async () => {
    const before = await counts();
    const again = await execute(erp, REVERSE, { entryId: original.id, date: '2026-02-26', sourceId: 'cm_1' });
    expect(again.errors).toBeUndefined();
    expect(again.data.reverseJournalEntry.date).toBe('2026-02-25');
    expect(await counts()).toEqual(before);
  });

  it('INVALID_STATE_TRANSITION: an entry already reversed cannot be reversed again from another source', async () => {
    const before = await counts();
    const res = await execute(erp, REVERSE, { entryId: original.id, date: '2026-02-26', sourceId: 'cm_2' });
    expect(codes(res)).toEqual(['INVALID_STATE_TRANSITION']);
    expect(await counts()).toEqual(before);
  });

  it('NOT_FOUND for an unknown entry; PERIOD_CLOSED for a closed reversal date', async () => {
    const other = (await execute(erp, POST, { input: entry({ sourceId: 'inv_rev2' }) })).data.postJournalEntry;
    const before = await counts();
    expect(codes(await execute(erp, REVERSE, { entryId: 'je_nope', date: '2026-02-25', sourceId: 'cm_3' }))).toEqual(['NOT_FOUND']);
    expect(codes(await execute(erp, REVERSE, { entryId: other.id, date: '2026-01-25', sourceId: 'cm_3' }))).toEqual(['PERIOD_CLOSED']);
    expect(await counts()).toEqual(before);
    const moved = await execute(erp, REVERSE, {
      entryId: other.id,
      date: '2026-01-25',
      sourceId: 'cm_3',
      options: { closedPeriodPolicy: 'NEXT_OPEN' },
    });
    expect(moved.data.reverseJournalEntry.date).toBe('2026-02-01');
    expect(await unbalancedEntries()).toEqual([]);
  });
});

describe('postJournalEntries (the set-based posting sync flows use)', () => {
  const lineSums = async (ids: string[]) =>
    (
      await sql<{ id: string; d: number; c: number; fd: number; fc: number; n: number }>`
      select journal_entry_id id, sum(debit_minor)::int d, sum(credit_minor)::int c, sum(functional_debit_minor)::int fd, sum(functional_credit_minor)::int fc, count(*)::int n
        from erp.journal_lines where journal_entry_id = any(${ids}) group by journal_entry_id`.execute(t.db)
    ).rows;

  it('posts many entries at once with the rules of one, in input order, idempotent per source', async () => {
    const earlier = (await execute(erp, POST, { input: entry({ sourceId: 'bulk_0' }) })).data.postJournalEntry;
    const before = await counts();
    const inputs = [
      entry({ sourceId: 'bulk_1' }),
      entry({ sourceId: 'bulk_0', memo: 'ignored: already posted' }),
      entry({ sourceId: 'bulk_2', currency: 'EUR', date: '2026-02-21' }),
      entry({ sourceId: 'bulk_1' }),
    ];
    const posted = await erpApi.postJournalEntries(t.db, inputs as erpApi.PostJournalEntryInput[], { policy });
    expect(posted.map((e) => e.source_id)).toEqual(['bulk_1', 'bulk_0', 'bulk_2', 'bulk_1']);
    expect(posted[1]!.id).toBe(earlier.id);
    expect(posted[3]!.id).toBe(posted[0]!.id);
    expect(await counts()).toEqual({ entries: before.entries + 2, lines: before.lines + 6 });
    expect(posted[2]!.fx_rate).toBe('1.20000000');
    const sums = await lineSums([posted[0]!.id, posted[2]!.id]);
    expect(sums).toHaveLength(2);
    for (const s of sums) {
      expect(s.d).toBe(s.c);
      expect(s.fd).toBe(s.fc);
    }
    expect(await unbalancedEntries()).toEqual([]);
    const again = await erpApi.postJournalEntries(t.db, inputs as erpApi.PostJournalEntryInput[], { policy });
    expect(again.map((e) => e.id)).toEqual(posted.map((e) => e.id));
    expect(await counts()).toEqual({ entries: before.entries + 2, lines: before.lines + 6 });
  });

  it('writes nothing when one entry of the batch is invalid, and says which rule it broke', async () => {
    const before = await counts();
    const bad = [
      entry({ sourceId: 'bulk_3' }),
      entry({
        sourceId: 'bulk_4',
        lines: [
          { accountCode: '9999', debit: '1.00' },
          { accountCode: '4000', credit: '1.00' },
        ],
      }),
    ];
    await expect(erpApi.postJournalEntries(t.db, bad as erpApi.PostJournalEntryInput[])).rejects.toMatchObject({
      extensions: { code: 'UNKNOWN_ACCOUNT' },
    });
    await expect(
      erpApi.postJournalEntries(t.db, [
        entry({ sourceId: 'bulk_5' }),
        entry({ sourceId: 'bulk_6', date: '2026-01-10' }),
      ] as erpApi.PostJournalEntryInput[]),
    ).rejects.toMatchObject({
      extensions: { code: 'PERIOD_CLOSED' },
    });
    await expect(
      erpApi.postJournalEntries(t.db, [entry({ sourceId: 'bulk_7', legalEntityId: 'XX99' })] as erpApi.PostJournalEntryInput[]),
    ).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(await counts()).toEqual(before);
  });
});
