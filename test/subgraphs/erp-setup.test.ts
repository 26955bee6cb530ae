import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpSubgraph } from '../../subgraphs/erp/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let erp: ReturnType<typeof createErpSubgraph>;

beforeAll(async () => {
  t = await createTestDatabase();
  erp = createErpSubgraph(t.db);
  await t.db
    .insertInto('erp.legal_entities')
    .values([{ id: 'US01', name: 'Ledgerline US Inc', country: 'US', functional_currency: 'USD' }])
    .execute();
});
afterAll(async () => t.drop());

const LE = `mutation($input: CreateLegalEntityInput!) { createLegalEntity(input: $input) { id name country functionalCurrency } }`;
const ACCOUNT = `mutation($input: CreateAccountInput!) { createAccount(input: $input) { code name type legalEntity { id } } }`;
const OPEN = `mutation($le: ID!, $code: String!) { openPeriod(legalEntityId: $le, code: $code) { id code startDate endDate status closedAt } }`;
const CLOSE = `mutation($le: ID!, $code: String!) { closePeriod(legalEntityId: $le, code: $code) { id code status closedAt } }`;
const REOPEN = `mutation($le: ID!, $code: String!, $reason: String) { reopenPeriod(legalEntityId: $le, code: $code, reason: $reason) { id code status closedAt } }`;
const OPERATOR = { sub: 'test-operator', role: 'operator' as const, customerId: null };
const SET_RATE = `mutation($from: String!, $to: String!, $date: Date!, $rate: String!) { setFxRate(from: $from, to: $to, date: $date, rate: $rate) { from to date rate } }`;

const countOf = async (table: 'erp.legal_entities' | 'erp.accounts' | 'erp.periods' | 'erp.fx_rates') =>
  (await t.db.selectFrom(table).selectAll().execute()).length;

describe('erp legal entities and accounts', () => {
  it('createLegalEntity creates one; INVALID_MONEY for an unknown currency, BAD_USER_INPUT for a bad country, DUPLICATE for an existing id', async () => {
    const res = await execute(erp, LE, { input: { id: 'GB01', name: 'Ledgerline UK Ltd', country: 'GB', functionalCurrency: 'GBP' } });
    expect(res.data.createLegalEntity).toEqual({ id: 'GB01', name: 'Ledgerline UK Ltd', country: 'GB', functionalCurrency: 'GBP' });
    const before = await countOf('erp.legal_entities');
    expect(codes(await execute(erp, LE, { input: { name: 'X', country: 'GB', functionalCurrency: 'ZZZ' } }))).toEqual(['INVALID_MONEY']);
    expect(codes(await execute(erp, LE, { input: { name: 'X', country: 'Britain', functionalCurrency: 'GBP' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await execute(erp, LE, { input: { id: 'GB01', name: 'X', country: 'GB', functionalCurrency: 'GBP' } }))).toEqual([
      'DUPLICATE',
    ]);
    expect(await countOf('erp.legal_entities')).toBe(before);
  });

  it('createAccount adds to the chart; NOT_FOUND legal entity, DUPLICATE code', async () => {
    const res = await execute(erp, ACCOUNT, { input: { legalEntityId: 'US01', code: '4000', name: 'Revenue', type: 'REVENUE' } });
    expect(res.data.createAccount).toEqual({ code: '4000', name: 'Revenue', type: 'REVENUE', legalEntity: { id: 'US01' } });
    const before = await countOf('erp.accounts');
    expect(codes(await execute(erp, ACCOUNT, { input: { legalEntityId: 'XX', code: '4000', name: 'Revenue', type: 'REVENUE' } }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await execute(erp, ACCOUNT, { input: { legalEntityId: 'US01', code: '4000', name: 'Again', type: 'REVENUE' } }))).toEqual([
      'DUPLICATE',
    ]);
    expect(codes(await execute(erp, ACCOUNT, { input: { legalEntityId: 'US01', code: ' ', name: 'Blank', type: 'ASSET' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(await countOf('erp.accounts')).toBe(before);
    // Codes are per legal entity: the same code in another entity is fine.
    expect(
      (await execute(erp, ACCOUNT, { input: { legalEntityId: 'GB01', code: '4000', name: 'Revenue UK', type: 'REVENUE' } })).errors,
    ).toBeUndefined();
  });
});

describe('erp periods', () => {
  it('openPeriod opens a calendar month (leap years included) and is idempotent', async () => {
    const res = await execute(erp, OPEN, { le: 'US01', code: '2028-02' });
    expect(res.data.openPeriod).toMatchObject({
      code: '2028-02',
      startDate: '2028-02-01',
      endDate: '2028-02-29',
      status: 'OPEN',
      closedAt: null,
    });
    const again = await execute(erp, OPEN, { le: 'US01', code: '2028-02' });
    expect(again.data.openPeriod).toEqual(res.data.openPeriod);
    expect((await execute(erp, OPEN, { le: 'US01', code: '2026-12' })).data.openPeriod.endDate).toBe('2026-12-31');
  });

  it('openPeriod: BAD_USER_INPUT for a malformed code, NOT_FOUND for an unknown legal entity; nothing written', async () => {
    const before = await countOf('erp.periods');
    expect(codes(await execute(erp, OPEN, { le: 'US01', code: '2026-13' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await execute(erp, OPEN, { le: 'US01', code: '2026-1' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await execute(erp, OPEN, { le: 'XX', code: '2026-01' }))).toEqual(['NOT_FOUND']);
    expect(await countOf('erp.periods')).toBe(before);
  });

  it('closePeriod and reopenPeriod switch the status, idempotently; PERIOD_NOT_FOUND for a period that does not exist', async () => {
    await execute(erp, OPEN, { le: 'US01', code: '2027-01' });
    // Periods close in order: 2026-12 is still open.
    expect(codes(await execute(erp, CLOSE, { le: 'US01', code: '2027-01' }))).toEqual(['PERIODS_OUT_OF_ORDER']);
    expect((await execute(erp, CLOSE, { le: 'US01', code: '2026-12' })).data.closePeriod.status).toBe('CLOSED');
    const closed = await execute(erp, CLOSE, { le: 'US01', code: '2027-01' });
    expect(closed.data.closePeriod.status).toBe('CLOSED');
    expect(closed.data.closePeriod.closedAt).toMatch(/^\d{4}-/);
    expect((await execute(erp, CLOSE, { le: 'US01', code: '2027-01' })).data.closePeriod).toEqual(closed.data.closePeriod);
    // Reopening: admins only, with a reason, from the latest closed period down.
    expect(codes(await execute(erp, REOPEN, { le: 'US01', code: '2026-12', reason: 'Late invoice' }))).toEqual(['PERIODS_OUT_OF_ORDER']);
    expect(codes(await execute(erp, REOPEN, { le: 'US01', code: '2027-01' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await execute(erp, REOPEN, { le: 'US01', code: '2027-01', reason: 'Late invoice' }, OPERATOR))).toEqual(['FORBIDDEN']);
    expect((await execute(erp, REOPEN, { le: 'US01', code: '2027-01', reason: 'Late invoice' })).data.reopenPeriod).toMatchObject({
      status: 'OPEN',
      closedAt: null,
    });
    expect((await execute(erp, REOPEN, { le: 'US01', code: '2026-12', reason: 'Audit adjustment' })).data.reopenPeriod.status).toBe('OPEN');
    const events = await execute(erp, `{ periods(legalEntityId: "US01") { code events { action actor reason } } }`);
    expect(events.data.periods.find((p: { code: string }) => p.code === '2027-01').events).toEqual([
      { action: 'CLOSE', actor: 'test-admin', reason: null },
      { action: 'REOPEN', actor: 'test-admin', reason: 'Late invoice' },
    ]);
    expect(codes(await execute(erp, CLOSE, { le: 'US01', code: '2031-05' }))).toEqual(['PERIOD_NOT_FOUND']);
    expect(codes(await execute(erp, REOPEN, { le: 'US01', code: '2031-05', reason: 'x' }))).toEqual(['PERIOD_NOT_FOUND']);
    const periods = await execute(erp, `{ periods(legalEntityId: "US01", status: OPEN) { code } }`);
    expect(periods.data.periods.map((p: { code: string }) => p.code)).toEqual(['2026-12', '2027-01', '2028-02']);
  });
});

describe('erp fx rates', () => {
  it('setFxRate publishes and replaces (upsert) the rate of a day; fxRate returns the latest on or before a date', async () => {
    await execute(erp, SET_RATE, { from: 'EUR', to: 'USD', date: '2026-01-01', rate: '1.1' });
    await execute(erp, SET_RATE, { from: 'EUR', to: 'USD', date: '2026-02-01', rate: '1.08' });
    const replaced = await execute(erp, SET_RATE, { from: 'EUR', to: 'USD', date: '2026-02-01', rate: '1.0835' });
    expect(replaced.data.setFxRate).toEqual({ from: 'EUR', to: 'USD', date: '2026-02-01', rate: '1.08350000' });
    expect(await countOf('erp.fx_rates')).toBe(2);
    const q = `query($date: Date!) { fxRate(from: "EUR", to: "USD", date: $date) { date rate } }`;
    expect((await execute(erp, q, { date: '2026-01-31' })).data.fxRate).toEqual({ date: '2026-01-01', rate: '1.10000000' });
    expect((await execute(erp, q, { date: '2026-02-01' })).data.fxRate).toEqual({ date: '2026-02-01', rate: '1.08350000' });
    expect((await execute(erp, q, { date: '2025-12-31' })).data.fxRate).toBeNull();
  });

  it('setFxRate: INVALID_MONEY for an unknown currency, BAD_USER_INPUT for a bad rate or the same currency twice; nothing written', async () => {
    const before = await t.db.selectFrom('erp.fx_rates').selectAll().execute();
    expect(codes(await execute(erp, SET_RATE, { from: 'EUR', to: 'XYZ', date: '2026-03-01', rate: '1.1' }))).toEqual(['INVALID_MONEY']);
    expect(codes(await execute(erp, SET_RATE, { from: 'EUR', to: 'EUR', date: '2026-03-01', rate: '1' }))).toEqual(['BAD_USER_INPUT']);
    for (const rate of ['0', '-1.2', '1.123456789', 'abc', '1e3']) {
      expect(codes(await execute(erp, SET_RATE, { from: 'EUR', to: 'USD', date: '2026-03-01', rate }))).toEqual(['BAD_USER_INPUT']);
    }
    expect(await t.db.selectFrom('erp.fx_rates').selectAll().execute()).toEqual(before);
  });
});
