import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BillableItemInput, createBillableItems } from '../../subgraphs/billing/api/index.ts';
import { createBillingSubgraph } from '../../subgraphs/billing/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let billing: ReturnType<typeof createBillingSubgraph>;

const rule = (projectId: string, over: Record<string, unknown> = {}) => ({
  project_id: projectId,
  customer_id: 'cus_a',
  contract_id: `ctr_${projectId}`,
  legal_entity_id: 'LE-US',
  billing_model: 'TIME_AND_MATERIALS',
  currency: 'USD',
  service_line: 'ENGINEERING',
  ...over,
});

beforeAll(async () => {
  t = await createTestDatabase();
  billing = createBillingSubgraph(t.db);
  await t.db
    .insertInto('billing.accounts')
    .values({ customer_id: 'cus_a', name: 'Acme', legal_entity_id: 'LE-US', currency: 'USD', payment_terms_days: 30, tax_code: 'US-NY' })
    .execute();
  await t.db
    .insertInto('billing.rules')
    .values([
      rule('prj_tm'),
      rule('prj_round', { rounding_increment_minutes: 30, rounding_mode: 'NEAREST' }),
      rule('prj_cap', { cap_minor: 100000 }),
      rule('prj_race', { cap_minor: 100000 }),
      rule('prj_eur', { currency: 'EUR', legal_entity_id: 'LE-DE' }),
    ])
    .execute();
});
afterAll(async () => t.drop());

const CREATE = `mutation($items: [BillableItemInput!]!) { createBillableItems(items: $items) { id sourceId hours sourceHours rate { amount } amount { amount currency minorUnits } status project { id } timeEntry { id } } }`;
const item = (sourceId: string, over: Record<string, unknown> = {}) => ({
  sourceId,
  projectId: 'prj_tm',
  customerId: 'cus_a',
  resourceId: 'res_1',
  role: 'CONSULTANT',
  workDate: '2026-11-02',
  sourceHours: 7.75,
  hours: 7.75,
  rate: '123.45',
  rateSource: 'RATE_CARD_ROLE',
  currency: 'USD',
  ...over,
});
const apiItem = (sourceId: string, projectId: string, minutes: number, workDate: string, rateMinor = 10000): BillableItemInput => ({
  sourceId,
  projectId,
  customerId: 'cus_a',
  resourceId: 'res_1',
  role: 'CONSULTANT',
  workDate,
  sourceMinutes: minutes,
  minutes,
  rateMinor,
  rateSource: 'RATE_CARD_ROLE',
  currency: 'USD',
});
const countItems = async () =>
  Number((await t.db.selectFrom('billing.billable_items').select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('billing: billable items', () => {
  it('prices rate x billed minutes exactly, and rounds by the project rule when hours are absent', async () => {
    const res = await execute(billing, CREATE, {
      items: [item('te_exact'), item('te_round', { projectId: 'prj_round', sourceHours: 1.25, hours: null })],
    });
    expect(res.errors).toBeUndefined();
    const [exact, rounded] = res.data.createBillableItems;
    // 7.75 h at 123.45 = 956.7375 -> 956.74
    expect(exact).toMatchObject({
      sourceId: 'te_exact',
      hours: 7.75,
      amount: { amount: '956.74', currency: 'USD', minorUnits: '95674' },
      status: 'UNBILLED',
      timeEntry: { id: 'te_exact' },
    });
    // 75 min to the nearest 30 -> 90 min; 1.5 h at 123.45 = 185.175 -> 185.18
    expect(rounded).toMatchObject({ sourceHours: 1.25, hours: 1.5, amount: { amount: '185.18' }, project: { id: 'prj_round' } });
  });

  it('is idempotent on (source type, source id): a replay returns the existing items and creates none', async () => {
    const first = await execute(billing, CREATE, { items: [item('te_idem_1'), item('te_idem_2')] });
    const before = await countItems();
    const replay = await execute(billing, CREATE, { items: [item('te_idem_2', { rate: '999.00' }), item('te_idem_1'), item('te_idem_3')] });
    expect(replay.errors).toBeUndefined();
    expect(await countItems()).toBe(before + 1);
    const ids = replay.data.createBillableItems.map((i: { id: string }) => i.id);
    expect(ids.slice(0, 2)).toEqual([first.data.createBillableItems[1].id, first.data.createBillableItems[0].id]);
    // The existing item keeps its price: a replay never reprices.
    expect(replay.data.createBillableItems[0].rate.amount).toBe('123.45');
  });

  it('CURRENCY_MISMATCH: an item in another currency than the project rule fails the whole batch and writes nothing', async () => {
    const before = await countItems();
    const res = await execute(billing, CREATE, { items: [item('te_ok_in_bad_batch'), item('te_eur', { currency: 'EUR' })] });
    expect(codes(res)).toEqual(['CURRENCY_MISMATCH']);
    expect(res.errors![0].extensions).toMatchObject({ field: 'items[1].currency', expected: 'USD' });
    expect(await countItems()).toBe(before);
  });

  it('NOT_FOUND: items of a project without billing rule write nothing', async () => {
    const before = await countItems();
    const res = await execute(billing, CREATE, { items: [item('te_norule', { projectId: 'prj_unknown' })] });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(await countItems()).toBe(before);
  });

  it('BAD_USER_INPUT: an item whose customer is not the project customer writes nothing', async () => {
    const before = await countItems();
    const res = await execute(billing, CREATE, { items: [item('te_wrongcus', { customerId: 'cus_other' })] });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(await countItems()).toBe(before);
  });

  it('INVALID_HOURS / INVALID_MONEY: off-quarter recorded hours and over-precise rates are refused', async () => {
    expect(codes(await execute(billing, CREATE, { items: [item('te_bad_h', { sourceHours: 1.1 })] }))).toEqual(['INVALID_HOURS']);
    expect(codes(await execute(billing, CREATE, { items: [item('te_bad_r', { rate: '1.001' })] }))).toEqual(['INVALID_MONEY']);
  });

  it('T&M cap: the item crossing the cap is cut so the total hits it exactly, later items are 0; credited items do not count', async () => {
    // 400.00 live and 500.00 credited already: 600.00 of the 1,000.00 cap is left.
    await t.db
      .insertInto('billing.billable_items')
      .values([
        { ...dbItem('bil_cap_live', 'te_cap_live', 'prj_cap', '2026-10-01', 240), amount_minor: 40000 },
        { ...dbItem('bil_cap_cred', 'te_cap_cred', 'prj_cap', '2026-10-02', 300), amount_minor: 50000, status: 'CREDITED' },
      ])
      .execute();
    // Given out of order: the cap is applied by work date.
    const rows = await createBillableItems(t.db, [
      apiItem('te_cap_c', 'prj_cap', 120, '2026-11-05'),
      apiItem('te_cap_a', 'prj_cap', 180, '2026-11-03'),
      apiItem('te_cap_b', 'prj_cap', 240, '2026-11-04'),
    ]);
    expect(rows.map((r) => [r.source_id, r.minutes, r.amount_minor])).toEqual([
      ['te_cap_c', 120, 0],
      ['te_cap_a', 180, 30000],
      ['te_cap_b', 240, 30000],
    ]);
    const res = await execute(
      billing,
      `{ _entities(representations: [{ __typename: "Project", id: "prj_cap" }]) { ... on Project { unbilledAmount { amount } billingRule { cap { amount } } } } }`,
    );
    expect(res.data._entities[0]).toEqual({ unbilledAmount: { amount: '1000.00' }, billingRule: { cap: { amount: '1000.00' } } });
  });

  it('T&M cap holds when two batches for one project run concurrently', async () => {
    await Promise.all([
      createBillableItems(t.db, [apiItem('te_race_1', 'prj_race', 360, '2026-11-02')]),
      createBillableItems(t.db, [apiItem('te_race_2', 'prj_race', 360, '2026-11-02')]),
    ]);
    const rows = await t.db
      .selectFrom('billing.billable_items')
      .select('amount_minor')
      .where('project_id', '=', 'prj_race')
      .orderBy('amount_minor')
      .execute();
    expect(rows.map((r: { amount_minor: number }) => r.amount_minor)).toEqual([40000, 60000]);
  });
});

describe('billing: accounts, rules and milestones', () => {
  const ACCOUNT = `mutation($input: BillingAccountInput!) { upsertBillingAccount(input: $input) { customer { id } name legalEntity { id } currency paymentTermsDays taxCode } }`;
  const RULE = `mutation($input: BillingRuleInput!) { upsertBillingRule(input: $input) { project { id } billingModel currency cap { amount } roundingIncrementMinutes roundingMode serviceLine active } }`;
  const ruleInput = (over: Record<string, unknown> = {}) => ({
    projectId: 'prj_new',
    customerId: 'cus_a',
    contractId: 'ctr_new',
    legalEntityId: 'LE-US',
    billingModel: 'TIME_AND_MATERIALS',
    currency: 'USD',
    cap: '5000.00',
    serviceLine: 'ADVISORY',
    ...over,
  });

  it('upsertBillingAccount is idempotent: the same customer twice leaves one row with the latest data', async () => {
    const input = { customerId: 'cus_b', name: 'Beta', legalEntityId: 'LE-DE', currency: 'EUR', paymentTermsDays: 14, taxCode: 'DE-VAT19' };
    await execute(billing, ACCOUNT, { input });
    const res = await execute(billing, ACCOUNT, { input: { ...input, paymentTermsDays: 30 } });
    expect(res.data.upsertBillingAccount).toEqual({
      customer: { id: 'cus_b' },
      name: 'Beta',
      legalEntity: { id: 'LE-DE' },
      currency: 'EUR',
      paymentTermsDays: 30,
      taxCode: 'DE-VAT19',
    });
    const rows = await t.db.selectFrom('billing.accounts').selectAll().where('customer_id', '=', 'cus_b').execute();
    expect(rows).toHaveLength(1);
  });

  it('upsertBillingAccount: BAD_USER_INPUT for payment terms beyond 365 days, and nothing changes', async () => {
    const res = await execute(billing, ACCOUNT, {
      input: { customerId: 'cus_b', name: 'Beta', legalEntityId: 'LE-DE', currency: 'EUR', paymentTermsDays: 400, taxCode: 'DE-VAT19' },
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const row = await t.db.selectFrom('billing.accounts').selectAll().where('customer_id', '=', 'cus_b').executeTakeFirstOrThrow();
    expect(row.payment_terms_days).toBe(30);
  });

  it('upsertBillingRule is idempotent and applies defaults (15 minutes, UP)', async () => {
    await execute(billing, RULE, { input: ruleInput() });
    const res = await execute(billing, RULE, { input: ruleInput() });
    expect(res.errors).toBeUndefined();
    expect(res.data.upsertBillingRule).toEqual({
      project: { id: 'prj_new' },
      billingModel: 'TIME_AND_MATERIALS',
      currency: 'USD',
      cap: { amount: '5000.00' },
      roundingIncrementMinutes: 15,
      roundingMode: 'UP',
      serviceLine: 'ADVISORY',
      active: true,
    });
  });

  it('upsertBillingRule: CURRENCY_MISMATCH when the project already has items in its currency, and the rule stays', async () => {
    const res = await execute(billing, RULE, { input: ruleInput({ projectId: 'prj_tm', currency: 'EUR', cap: null }) });
    expect(codes(res)).toEqual(['CURRENCY_MISMATCH']);
    const row = await t.db.selectFrom('billing.rules').selectAll().where('project_id', '=', 'prj_tm').executeTakeFirstOrThrow();
    expect(row.currency).toBe('USD');
  });

  it('upsertBillingRule: BAD_USER_INPUT for a FIXED_FEE rule without a fee, and nothing is written', async () => {
    const res = await execute(billing, RULE, { input: ruleInput({ projectId: 'prj_ff', billingModel: 'FIXED_FEE', cap: null }) });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(await t.db.selectFrom('billing.rules').selectAll().where('project_id', '=', 'prj_ff').executeTakeFirst()).toBeUndefined();
  });

  it('addMilestone takes the project currency; the same id again returns the same milestone', async () => {
    const ADD = `mutation($input: AddMilestoneInput!) { addMilestone(input: $input) { id name amount { amount currency } dueDate status project { id } } }`;
    const input = { id: 'mst_1', projectId: 'prj_eur', name: 'Design signed off', amount: '12000.50', dueDate: '2026-12-15' };
    const a = await execute(billing, ADD, { input });
    const b = await execute(billing, ADD, { input });
    expect(a.data.addMilestone).toEqual({
      id: 'mst_1',
      name: 'Design signed off',
      amount: { amount: '12000.50', currency: 'EUR' },
      dueDate: '2026-12-15',
      status: 'PLANNED',
      project: { id: 'prj_eur' },
    });
    expect(b.data.addMilestone).toEqual(a.data.addMilestone);
    const missing = await execute(billing, ADD, { input: { ...input, id: 'mst_2', projectId: 'prj_none' } });
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    expect(await t.db.selectFrom('billing.milestones').selectAll().where('id', '=', 'mst_2').executeTakeFirst()).toBeUndefined();
  });
});

function dbItem(id: string, sourceId: string, projectId: string, workDate: string, minutes: number) {
  return {
    id,
    source_type: 'TIME_ENTRY',
    source_id: sourceId,
    project_id: projectId,
    customer_id: 'cus_a',
    resource_id: 'res_1',
    role: 'CONSULTANT',
    work_date: workDate,
    source_minutes: minutes,
    minutes,
    rate_minor: 10000,
    rate_source: 'RATE_CARD_ROLE',
    amount_minor: (minutes * 10000) / 60,
    currency: 'USD',
  };
}
