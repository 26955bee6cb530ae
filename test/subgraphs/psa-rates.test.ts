import type { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RateRequest, type ResolvedRate, resolveRate, resolveRates } from '../../subgraphs/psa/api/rates.ts';
import { createPsaSubgraph } from '../../subgraphs/psa/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let psa: ReturnType<typeof createPsaSubgraph>;

const project = (id: string, currency: string, rateCardId: string | null) => ({
  id,
  code: id.toUpperCase(),
  name: `Project ${id}`,
  customer_id: 'cus_r',
  legal_entity_id: 'le_us',
  currency,
  start_date: '2025-01-01',
  status: 'ACTIVE',
  service_line: 'ENGINEERING',
  rate_card_id: rateCardId,
});
const resource = (id: string, role: string) => ({
  id,
  name: id,
  role,
  cost_rate_minor: 5000,
  cost_currency: 'USD',
  legal_entity_id: 'le_us',
  capacity_minutes_per_week: 2400,
});

beforeAll(async () => {
  t = await createTestDatabase();
  psa = createPsaSubgraph(t.db);
  await t.db
    .insertInto('psa.customer_refs')
    .values({ customer_id: 'cus_r', name: 'Rates Inc', legal_entity_id: 'le_us', currency: 'USD' })
    .execute();
  await t.db.insertInto('psa.rate_cards').values({ id: 'rc', name: 'Standard', currency: 'USD' }).execute();
  await t.db
    .insertInto('psa.rate_card_rates')
    .values([
      { id: 'rcr1', rate_card_id: 'rc', role: 'CONSULTANT', rate_minor: 10000, effective_from: '2026-01-01' },
      { id: 'rcr2', rate_card_id: 'rc', role: 'CONSULTANT', rate_minor: 11000, effective_from: '2026-07-01' },
      { id: 'rcr3', rate_card_id: 'rc', role: 'MANAGER', rate_minor: 20000, effective_from: '2026-01-01' },
      { id: 'rcr4', rate_card_id: 'rc', role: 'MANAGER', rate_minor: 22000, effective_from: '2026-07-01' },
    ])
    .execute();
  // prj_r carries project overrides; prj_s is its sibling for the same customer, so project overrides must not leak into it.
  await t.db
    .insertInto('psa.projects')
    .values([project('prj_r', 'USD', 'rc'), project('prj_s', 'USD', 'rc'), project('prj_e', 'EUR', null)])
    .execute();
  await t.db
    .insertInto('psa.resources')
    .values([resource('res_1', 'CONSULTANT'), resource('res_2', 'CONSULTANT'), resource('res_3', 'MANAGER'), resource('res_4', 'ANALYST')])
    .execute();
  await t.db
    .insertInto('psa.rate_overrides')
    .values([
      {
        id: 'ov_pr',
        scope: 'PROJECT_RESOURCE',
        project_id: 'prj_r',
        resource_id: 'res_1',
        rate_minor: 14000,
        currency: 'USD',
        effective_from: '2026-03-01',
      },
      {
        id: 'ov_prole',
        scope: 'PROJECT_ROLE',
        project_id: 'prj_r',
        role: 'CONSULTANT',
        rate_minor: 13000,
        currency: 'USD',
        effective_from: '2026-02-01',
      },
      {
        id: 'ov_cr1',
        scope: 'CUSTOMER_ROLE',
        customer_id: 'cus_r',
        role: 'CONSULTANT',
        rate_minor: 12000,
        currency: 'USD',
        effective_from: '2026-01-15',
      },
      {
        id: 'ov_cr2',
        scope: 'CUSTOMER_ROLE',
        customer_id: 'cus_r',
        role: 'CONSULTANT',
        rate_minor: 12500,
        currency: 'USD',
        effective_from: '2026-05-01',
      },
      {
        id: 'ov_cr_eur',
        scope: 'CUSTOMER_ROLE',
        customer_id: 'cus_r',
        role: 'CONSULTANT',
        rate_minor: 9000,
        currency: 'EUR',
        effective_from: '2026-01-01',
      },
    ])
    .execute();
});
afterAll(async () => t.drop());

const rate = (r: Partial<RateRequest> & { projectId: string; resourceId: string; date: string }) => resolveRate(t.db, r);
const summary = (r: ResolvedRate) => ({ rateMinor: r.rateMinor, currency: r.currency, source: r.source, effectiveFrom: r.effectiveFrom });

describe('psa rate resolution order (most specific first)', () => {
  it('1. ENTRY_OVERRIDE: a rate on the time entry wins over every other rule', async () => {
    const r = await rate({ projectId: 'prj_r', resourceId: 'res_1', date: '2026-06-01', entryOverrideMinor: 9999 });
    expect(summary(r)).toEqual({ rateMinor: 9999, currency: 'USD', source: 'ENTRY_OVERRIDE', effectiveFrom: null });
  });

  it('2. PROJECT_RESOURCE: a project+resource override wins over project+role, customer+role and the rate card', async () => {
    const r = await rate({ projectId: 'prj_r', resourceId: 'res_1', date: '2026-06-01' });
    expect(summary(r)).toEqual({ rateMinor: 14000, currency: 'USD', source: 'PROJECT_RESOURCE', effectiveFrom: '2026-03-01' });
  });

  it('3. PROJECT_ROLE: a project+role override wins over customer+role and the rate card', async () => {
    const r = await rate({ projectId: 'prj_r', resourceId: 'res_2', date: '2026-06-01' });
    expect(summary(r)).toEqual({ rateMinor: 13000, currency: 'USD', source: 'PROJECT_ROLE', effectiveFrom: '2026-02-01' });
  });

  it('4. CUSTOMER_ROLE: a customer+role override wins over the rate card, and project overrides do not leak to sibling projects', async () => {
    const r = await rate({ projectId: 'prj_s', resourceId: 'res_1', date: '2026-06-01' });
    expect(summary(r)).toEqual({ rateMinor: 12500, currency: 'USD', source: 'CUSTOMER_ROLE', effectiveFrom: '2026-05-01' });
  });

  it('5. RATE_CARD: the rate card role default applies when no override matches', async () => {
    const r = await rate({ projectId: 'prj_s', resourceId: 'res_3', date: '2026-06-01' });
    expect(summary(r)).toEqual({ rateMinor: 20000, currency: 'USD', source: 'RATE_CARD', effectiveFrom: '2026-01-01' });
  });

  it('an explicit role replaces the resource role for role rules (project+resource still prices the person)', async () => {
    expect(summary(await rate({ projectId: 'prj_s', resourceId: 'res_1', role: 'MANAGER', date: '2026-06-01' }))).toMatchObject({
      rateMinor: 20000,
      source: 'RATE_CARD',
    });
    expect(summary(await rate({ projectId: 'prj_r', resourceId: 'res_1', role: 'MANAGER', date: '2026-06-01' }))).toMatchObject({
      rateMinor: 14000,
      source: 'PROJECT_RESOURCE',
    });
    expect((await rate({ projectId: 'prj_s', resourceId: 'res_1', role: 'MANAGER', date: '2026-06-01' })).role).toBe('MANAGER');
  });
});

describe('psa rate effective dates', () => {
  it('an override applies from its effective date inclusive; before it the next rule wins', async () => {
    expect(summary(await rate({ projectId: 'prj_r', resourceId: 'res_1', date: '2026-02-28' }))).toMatchObject({
      rateMinor: 13000,
      source: 'PROJECT_ROLE',
    });
    expect(summary(await rate({ projectId: 'prj_r', resourceId: 'res_1', date: '2026-03-01' }))).toMatchObject({
      rateMinor: 14000,
      source: 'PROJECT_RESOURCE',
    });
  });

  it('within one rule the latest effective_from on or before the date wins', async () => {
    expect(summary(await rate({ projectId: 'prj_s', resourceId: 'res_2', date: '2026-04-30' }))).toEqual({
      rateMinor: 12000,
      currency: 'USD',
      source: 'CUSTOMER_ROLE',
      effectiveFrom: '2026-01-15',
    });
    expect(summary(await rate({ projectId: 'prj_s', resourceId: 'res_2', date: '2026-05-01' }))).toEqual({
      rateMinor: 12500,
      currency: 'USD',
      source: 'CUSTOMER_ROLE',
      effectiveFrom: '2026-05-01',
    });
  });

  it('rate card history: the rate effective on the date, not the newest one', async () => {
    expect(summary(await rate({ projectId: 'prj_s', resourceId: 'res_3', date: '2026-06-30' }))).toMatchObject({
      rateMinor: 20000,
      effectiveFrom: '2026-01-01',
    });
    expect(summary(await rate({ projectId: 'prj_s', resourceId: 'res_3', date: '2026-07-01' }))).toMatchObject({
      rateMinor: 22000,
      effectiveFrom: '2026-07-01',
    });
    // Before every customer override the consultant falls through to the rate card.
    expect(summary(await rate({ projectId: 'prj_s', resourceId: 'res_2', date: '2026-01-10' }))).toEqual({
      rateMinor: 10000,
      currency: 'USD',
      source: 'RATE_CARD',
      effectiveFrom: '2026-01-01',
    });
  });

  it('a date before every rate is NOT_FOUND on field rate', async () => {
    await expect(rate({ projectId: 'prj_s', resourceId: 'res_3', date: '2025-12-31' })).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND', field: 'rate' },
    });
  });
});

describe('psa rate currency and failures', () => {
  it('a customer override applies only to projects in its currency', async () => {
    expect(summary(await rate({ projectId: 'prj_e', resourceId: 'res_2', date: '2026-06-01' }))).toEqual({
      rateMinor: 9000,
      currency: 'EUR',
      source: 'CUSTOMER_ROLE',
      effectiveFrom: '2026-01-01',
    });
    expect(summary(await rate({ projectId: 'prj_s', resourceId: 'res_2', date: '2026-01-10' })).source).toBe('RATE_CARD');
  });

  it('a role with no rate anywhere is NOT_FOUND on field rate; unknown project or resource are NOT_FOUND by type', async () => {
    await expect(rate({ projectId: 'prj_s', resourceId: 'res_4', date: '2026-06-01' })).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND', field: 'rate', role: 'ANALYST' },
    });
    await expect(rate({ projectId: 'nope', resourceId: 'res_1', date: '2026-06-01' })).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND', type: 'Project' },
    });
    await expect(rate({ projectId: 'prj_s', resourceId: 'nope', date: '2026-06-01' })).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND', type: 'Resource' },
    });
  });
});

describe('psa resolveRates (batch)', () => {
  it('prices a thousand requests with one SQL statement, in request order, errors in place', async () => {
    const pool: RateRequest[] = [
      { projectId: 'prj_r', resourceId: 'res_1', date: '2026-06-01' },
      { projectId: 'prj_r', resourceId: 'res_2', date: '2026-06-01' },
      { projectId: 'prj_s', resourceId: 'res_2', date: '2026-04-30' },
      { projectId: 'prj_s', resourceId: 'res_3', date: '2026-07-01' },
      { projectId: 'prj_s', resourceId: 'res_4', date: '2026-06-01' },
      { projectId: 'prj_r', resourceId: 'res_2', date: '2026-06-01', entryOverrideMinor: 1 },
      { projectId: 'nope', resourceId: 'res_1', date: '2026-06-01' },
    ];
    const requests = Array.from({ length: 1000 }, (_, i) => pool[i % pool.length]!);
    t.statements.length = 0;
    const results = await resolveRates(t.db, requests);
    expect(t.statements).toHaveLength(1);
    expect(results).toHaveLength(1000);
    const shape = (r: ResolvedRate | GraphQLError) => (r instanceof Error ? r.extensions.code : [r.source, r.rateMinor]);
    expect(results.slice(0, 7).map(shape)).toEqual([
      ['PROJECT_RESOURCE', 14000],
      ['PROJECT_ROLE', 13000],
      ['CUSTOMER_ROLE', 12000],
      ['RATE_CARD', 22000],
      'NOT_FOUND',
      ['ENTRY_OVERRIDE', 1],
      'NOT_FOUND',
    ]);
    expect(results.slice(994, 1000).map(shape)).toEqual(results.slice(0, 6).map(shape));
  });

  it('an empty batch runs no SQL', async () => {
    t.statements.length = 0;
    expect(await resolveRates(t.db, [])).toEqual([]);
    expect(t.statements).toHaveLength(0);
  });
});

describe('psa resolveRate query', () => {
  it('returns the rate as Money with the winning source, batching several lookups into one statement', async () => {
    t.statements.length = 0;
    const res = await execute(
      psa,
      `{ a: resolveRate(projectId: "prj_r", resourceId: "res_1", date: "2026-06-01") { rate { amount currency minorUnits } source role effectiveFrom }
         b: resolveRate(projectId: "prj_s", resourceId: "res_3", date: "2026-06-01") { rate { amount } source } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      a: {
        rate: { amount: '140.00', currency: 'USD', minorUnits: '14000' },
        source: 'PROJECT_RESOURCE',
        role: 'CONSULTANT',
        effectiveFrom: '2026-03-01',
      },
      b: { rate: { amount: '200.00' }, source: 'RATE_CARD' },
    });
    expect(t.statements).toHaveLength(1);
  });

  it('takes an entry override as a decimal string in the project currency', async () => {
    const ok = await execute(
      psa,
      `{ resolveRate(projectId: "prj_e", resourceId: "res_2", date: "2026-06-01", entryOverride: "87.50") { rate { amount currency } source effectiveFrom } }`,
    );
    expect(ok.data.resolveRate).toEqual({ rate: { amount: '87.50', currency: 'EUR' }, source: 'ENTRY_OVERRIDE', effectiveFrom: null });
    const bad = await execute(
      psa,
      `{ resolveRate(projectId: "prj_e", resourceId: "res_2", date: "2026-06-01", entryOverride: "87.505") { source } }`,
    );
    expect(codes(bad)).toEqual(['INVALID_MONEY']);
  });

  it('reports NOT_FOUND with field rate when nothing prices the work', async () => {
    const res = await execute(psa, `{ resolveRate(projectId: "prj_s", resourceId: "res_4", date: "2026-06-01") { source } }`);
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(res.errors![0]!.extensions.field).toBe('rate');
  });
});
