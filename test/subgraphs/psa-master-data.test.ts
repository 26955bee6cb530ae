import type { ExecutionResult } from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPsaSubgraph } from '../../subgraphs/psa/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let psa: ReturnType<typeof createPsaSubgraph>;

const TABLES = [
  'customer_refs',
  'rate_cards',
  'rate_card_rates',
  'resources',
  'projects',
  'contracts',
  'rate_overrides',
  'tasks',
  'assignments',
];

/** Every row of every psa table: a failed mutation must leave it exactly as it was. */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) out[table] = (await sql`select * from ${sql.table(`psa.${table}`)} order by 1`.execute(t.db)).rows;
  return out;
}

async function expectNoWrite(run: () => Promise<ExecutionResult<any>>): Promise<ExecutionResult<any>> {
  const before = await snapshot();
  const res = await run();
  expect(await snapshot()).toEqual(before);
  return res;
}

const run = (source: string, input: Record<string, unknown>) => execute(psa, source, { input });
const UPSERT_REF = `mutation($input: UpsertCustomerRefInput!) { upsertCustomerRef(input: $input) { customer { id } name legalEntity { id } currency paymentTermsDays updatedAt } }`;
const RATE_CARD = `mutation($input: CreateRateCardInput!) { createRateCard(input: $input) { id name currency rates { role rate { amount currency } effectiveFrom } } }`;
const ADD_RATE = `mutation($input: AddRateCardRateInput!) { addRateCardRate(input: $input) { id role rate { amount currency } effectiveFrom } }`;
const OVERRIDE = `mutation($input: CreateRateOverrideInput!) { createRateOverride(input: $input) { id scope role rate { amount currency } effectiveFrom project { id } customer { id } resource { id } } }`;
const RESOURCE = `mutation($input: CreateResourceInput!) { createResource(input: $input) { id name email role costRate { amount currency } capacityHoursPerWeek active legalEntity { id } } }`;
const TASK = `mutation($input: AddTaskInput!) { addTask(input: $input) { id name billable project { id } } }`;
const ASSIGN = `mutation($input: AssignResourceInput!) { assignResource(input: $input) { id role startDate endDate plannedHours resource { id } project { id } } }`;

const project = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  code: id,
  name: id,
  customer_id: 'cus_a',
  legal_entity_id: 'le_us',
  currency: 'USD',
  start_date: '2026-01-01',
  end_date: '2026-06-30',
  status: 'ACTIVE',
  service_line: 'ENGINEERING',
  ...over,
});

beforeAll(async () => {
  t = await createTestDatabase();
  psa = createPsaSubgraph(t.db);
  await t.db
    .insertInto('psa.customer_refs')
    .values([
      { customer_id: 'cus_a', name: 'Acme', legal_entity_id: 'le_us', currency: 'USD' },
      { customer_id: 'cus_nocur', name: 'No currency' },
    ])
    .execute();
  await t.db.insertInto('psa.rate_cards').values({ id: 'rc_usd', name: 'USD', currency: 'USD' }).execute();
  await t.db
    .insertInto('psa.rate_card_rates')
    .values({ id: 'rcr_1', rate_card_id: 'rc_usd', role: 'CONSULTANT', rate_minor: 15000, effective_from: '2026-01-01' })
    .execute();
  await t.db
    .insertInto('psa.projects')
    .values([project('prj_open'), project('prj_closed', { status: 'CLOSED' }), project('prj_nb', { billable: false, status: 'DRAFT' })])
    .execute();
  await t.db
    .insertInto('psa.resources')
    .values([
      {
        id: 'res_ana',
        name: 'Ana',
        email: 'ana@firm.test',
        role: 'CONSULTANT',
        cost_rate_minor: 8000,
        cost_currency: 'USD',
        legal_entity_id: 'le_us',
        capacity_minutes_per_week: 2400,
      },
      {
        id: 'res_old',
        name: 'Old',
        role: 'CONSULTANT',
        cost_rate_minor: 8000,
        cost_currency: 'USD',
        legal_entity_id: 'le_us',
        capacity_minutes_per_week: 2400,
        active: false,
      },
    ])
    .execute();
});
afterAll(async () => t.drop());

describe('psa upsertCustomerRef', () => {
  it('creates then updates the copy; the same master again changes nothing (idempotent)', async () => {
    const input = { customerId: 'cus_new', name: 'New Co', legalEntityId: 'le_uk', currency: 'GBP', paymentTermsDays: 45 };
    const first = await run(UPSERT_REF, input);
    expect(first.errors).toBeUndefined();
    expect(first.data!.upsertCustomerRef).toMatchObject({
      customer: { id: 'cus_new' },
      name: 'New Co',
      legalEntity: { id: 'le_uk' },
      currency: 'GBP',
      paymentTermsDays: 45,
    });
    const replay = await expectNoWrite(() => run(UPSERT_REF, input));
    expect(replay.data!.upsertCustomerRef).toEqual(first.data!.upsertCustomerRef);
    const changed = await run(UPSERT_REF, { ...input, paymentTermsDays: 60 });
    expect(changed.data!.upsertCustomerRef.paymentTermsDays).toBe(60);
    expect(changed.data!.upsertCustomerRef.updatedAt >= first.data!.upsertCustomerRef.updatedAt).toBe(true);
  });

  it('rule "currency known": INVALID_MONEY; rule "payment terms 0 to 365 days": BAD_USER_INPUT; nothing written', async () => {
    expect(codes(await expectNoWrite(() => run(UPSERT_REF, { customerId: 'cus_a', name: 'Acme', currency: 'ZZZ' })))).toEqual([
      'INVALID_MONEY',
    ]);
    expect(codes(await expectNoWrite(() => run(UPSERT_REF, { customerId: 'cus_a', name: 'Acme', paymentTermsDays: 400 })))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});

describe('psa rate cards', () => {
  it('creates a rate card with its role rates, money exact; with an existing id returns it unchanged', async () => {
    const input = {
      id: 'rc_new',
      name: 'Standard 2026',
      currency: 'JPY',
      rates: [{ role: 'CONSULTANT', rate: '18000', effectiveFrom: '2026-01-01' }],
    };
    const res = await run(RATE_CARD, input);
    expect(res.errors).toBeUndefined();
    expect(res.data!.createRateCard).toEqual({
      id: 'rc_new',
      name: 'Standard 2026',
      currency: 'JPY',
      rates: [{ role: 'CONSULTANT', rate: { amount: '18000', currency: 'JPY' }, effectiveFrom: '2026-01-01' }],
    });
    const replay = await expectNoWrite(() => run(RATE_CARD, { ...input, name: 'Changed' }));
    expect(replay.data!.createRateCard).toEqual(res.data!.createRateCard);
  });

  it('rule "one rate per role and effective date": DUPLICATE, nothing written (not even the card)', async () => {
    const res = await expectNoWrite(() =>
      run(RATE_CARD, {
        name: 'Dup',
        currency: 'USD',
        rates: [
          { role: 'PM', rate: '100.00', effectiveFrom: '2026-01-01' },
          { role: 'PM', rate: '110.00', effectiveFrom: '2026-01-01' },
        ],
      }),
    );
    expect(codes(res)).toEqual(['DUPLICATE']);
  });

  it('rule "rates are amounts in the card currency": INVALID_MONEY, nothing written', async () => {
    expect(
      codes(
        await expectNoWrite(() =>
          run(RATE_CARD, { name: 'Bad', currency: 'USD', rates: [{ role: 'PM', rate: '100.001', effectiveFrom: '2026-01-01' }] }),
        ),
      ),
    ).toEqual(['INVALID_MONEY']);
    expect(
      codes(
        await expectNoWrite(() =>
          run(RATE_CARD, { name: 'Bad', currency: 'USD', rates: [{ role: 'PM', rate: '-1', effectiveFrom: '2026-01-01' }] }),
        ),
      ),
    ).toEqual(['INVALID_MONEY']);
    expect(codes(await expectNoWrite(() => run(RATE_CARD, { name: 'Bad', currency: 'ABC' })))).toEqual(['INVALID_MONEY']);
  });

  it('addRateCardRate adds a later rate; the same rate again is a no-op, a different one DUPLICATE', async () => {
    const input = { rateCardId: 'rc_usd', role: 'CONSULTANT', rate: '165.50', effectiveFrom: '2026-07-01' };
    const added = await run(ADD_RATE, input);
    expect(added.data!.addRateCardRate).toMatchObject({
      role: 'CONSULTANT',
      rate: { amount: '165.50', currency: 'USD' },
      effectiveFrom: '2026-07-01',
    });
    const replay = await expectNoWrite(() => run(ADD_RATE, input));
    expect(replay.data!.addRateCardRate).toEqual(added.data!.addRateCardRate);
    expect(codes(await expectNoWrite(() => run(ADD_RATE, { ...input, rate: '170.00' })))).toEqual(['DUPLICATE']);
    expect(codes(await expectNoWrite(() => run(ADD_RATE, { ...input, rateCardId: 'rc_none' })))).toEqual(['NOT_FOUND']);
  });
});

describe('psa createRateOverride', () => {
  it('creates overrides of each scope, in the project or customer currency', async () => {
    const pr = await run(OVERRIDE, {
      scope: 'PROJECT_RESOURCE',
      projectId: 'prj_open',
      resourceId: 'res_ana',
      rate: '175.00',
      effectiveFrom: '2026-02-01',
    });
    expect(pr.data!.createRateOverride).toMatchObject({
      scope: 'PROJECT_RESOURCE',
      rate: { amount: '175.00', currency: 'USD' },
      project: { id: 'prj_open' },
      resource: { id: 'res_ana' },
      role: null,
      customer: null,
    });
    const prole = await run(OVERRIDE, {
      scope: 'PROJECT_ROLE',
      projectId: 'prj_open',
      role: 'MANAGER',
      rate: '210.00',
      effectiveFrom: '2026-02-01',
    });
    expect(prole.data!.createRateOverride).toMatchObject({ scope: 'PROJECT_ROLE', role: 'MANAGER', project: { id: 'prj_open' } });
    const cr = await run(OVERRIDE, {
      scope: 'CUSTOMER_ROLE',
      customerId: 'cus_a',
      role: 'MANAGER',
      rate: '190.00',
      effectiveFrom: '2026-02-01',
    });
    expect(cr.data!.createRateOverride).toMatchObject({
      scope: 'CUSTOMER_ROLE',
      customer: { id: 'cus_a' },
      rate: { currency: 'USD' },
      project: null,
    });
    const eur = await run(OVERRIDE, {
      scope: 'CUSTOMER_ROLE',
      customerId: 'cus_a',
      role: 'MANAGER',
      rate: '180.00',
      currency: 'EUR',
      effectiveFrom: '2026-02-01',
    });
    expect(eur.data!.createRateOverride.rate).toEqual({ amount: '180.00', currency: 'EUR' });
  });

  it('rule "a scope takes exactly its keys": BAD_USER_INPUT for a missing or an extra key, nothing written', async () => {
    expect(
      codes(
        await expectNoWrite(() =>
          run(OVERRIDE, { scope: 'PROJECT_RESOURCE', projectId: 'prj_open', rate: '1.00', effectiveFrom: '2026-01-01' }),
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(
        await expectNoWrite(() =>
          run(OVERRIDE, {
            scope: 'PROJECT_ROLE',
            projectId: 'prj_open',
            role: 'PM',
            customerId: 'cus_a',
            rate: '1.00',
            effectiveFrom: '2026-01-01',
          }),
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(
        await expectNoWrite(() =>
          run(OVERRIDE, { scope: 'CUSTOMER_ROLE', customerId: 'cus_a', rate: '1.00', effectiveFrom: '2026-01-01' }),
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('rule "project overrides are in the project currency": CURRENCY_MISMATCH, nothing written', async () => {
    const res = await expectNoWrite(() =>
      run(OVERRIDE, {
        scope: 'PROJECT_ROLE',
        projectId: 'prj_open',
        role: 'PM',
        rate: '1.00',
        currency: 'EUR',
        effectiveFrom: '2026-01-01',
      }),
    );
    expect(codes(res)).toEqual(['CURRENCY_MISMATCH']);
  });

  it('rule "referenced project, resource and customer exist": NOT_FOUND; a customer without currency needs one: BAD_USER_INPUT', async () => {
    expect(
      codes(
        await expectNoWrite(() =>
          run(OVERRIDE, { scope: 'PROJECT_ROLE', projectId: 'prj_none', role: 'PM', rate: '1.00', effectiveFrom: '2026-01-01' }),
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(
      codes(
        await expectNoWrite(() =>
          run(OVERRIDE, {
            scope: 'PROJECT_RESOURCE',
            projectId: 'prj_open',
            resourceId: 'res_none',
            rate: '1.00',
            effectiveFrom: '2026-01-01',
          }),
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(
      codes(
        await expectNoWrite(() =>
          run(OVERRIDE, { scope: 'CUSTOMER_ROLE', customerId: 'cus_none', role: 'PM', rate: '1.00', effectiveFrom: '2026-01-01' }),
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(
      codes(
        await expectNoWrite(() =>
          run(OVERRIDE, { scope: 'CUSTOMER_ROLE', customerId: 'cus_nocur', role: 'PM', rate: '1.00', effectiveFrom: '2026-01-01' }),
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('rule "one override per key and date": the same rate again is a no-op, a different one DUPLICATE', async () => {
    const input = { scope: 'PROJECT_ROLE', projectId: 'prj_open', role: 'ANALYST', rate: '99.00', effectiveFrom: '2026-03-01' };
    const first = await run(OVERRIDE, input);
    const replay = await expectNoWrite(() => run(OVERRIDE, input));
    expect(replay.data!.createRateOverride.id).toBe(first.data!.createRateOverride.id);
    expect(codes(await expectNoWrite(() => run(OVERRIDE, { ...input, rate: '98.00' })))).toEqual(['DUPLICATE']);
  });
});

describe('psa resources', () => {
  it('creates a resource with exact cost rate and capacity, then updates it', async () => {
    const res = await run(RESOURCE, {
      id: 'res_new',
      name: 'Nia',
      email: 'Nia@Firm.test',
      role: 'ANALYST',
      costRate: '55.25',
      costCurrency: 'EUR',
      legalEntityId: 'le_de',
      capacityHoursPerWeek: 32.5,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createResource).toEqual({
      id: 'res_new',
      name: 'Nia',
      email: 'nia@firm.test',
      role: 'ANALYST',
      costRate: { amount: '55.25', currency: 'EUR' },
      capacityHoursPerWeek: 32.5,
      active: true,
      legalEntity: { id: 'le_de' },
    });
    const upd = await execute(
      psa,
      `mutation { updateResource(id: "res_new", input: { costRate: "7000", costCurrency: "JPY", active: false }) { costRate { amount currency } active } }`,
    );
    expect(upd.data!.updateResource).toEqual({ costRate: { amount: '7000', currency: 'JPY' }, active: false });
  });

  it('rule "unique e-mail": DUPLICATE on create and update, nothing written', async () => {
    const input = { name: 'Twin', email: 'ANA@firm.test', role: 'ANALYST', costRate: '1.00', costCurrency: 'USD', legalEntityId: 'le_us' };
    expect(codes(await expectNoWrite(() => run(RESOURCE, input)))).toEqual(['DUPLICATE']);
    expect(
      codes(
        await expectNoWrite(() => execute(psa, `mutation { updateResource(id: "res_old", input: { email: "ana@firm.test" }) { id } }`)),
      ),
    ).toEqual(['DUPLICATE']);
  });

  it('rules "e-mail well formed", "cost rate a non-negative amount", "capacity 0 to 168 hours in quarter hours": codes, nothing written', async () => {
    const input = { name: 'X', role: 'ANALYST', costRate: '1.00', costCurrency: 'USD', legalEntityId: 'le_us' };
    expect(codes(await expectNoWrite(() => run(RESOURCE, { ...input, email: 'not-an-email' })))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await expectNoWrite(() => run(RESOURCE, { ...input, costRate: '-5.00' })))).toEqual(['INVALID_MONEY']);
    expect(codes(await expectNoWrite(() => run(RESOURCE, { ...input, capacityHoursPerWeek: 169 })))).toEqual(['INVALID_HOURS']);
    expect(codes(await expectNoWrite(() => run(RESOURCE, { ...input, capacityHoursPerWeek: 37.3 })))).toEqual(['INVALID_HOURS']);
  });

  it('rule "a new cost currency comes with its rate": BAD_USER_INPUT; unknown resource: NOT_FOUND; nothing written', async () => {
    expect(
      codes(
        await expectNoWrite(() =>
          execute(psa, `mutation { updateResource(id: "res_ana", input: { costCurrency: "EUR", name: "Z" }) { id } }`),
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(await expectNoWrite(() => execute(psa, `mutation { updateResource(id: "res_none", input: { name: "Z" }) { id } }`))),
    ).toEqual(['NOT_FOUND']);
  });
});

describe('psa tasks and assignments', () => {
  it('adds a task, billable by default like its project', async () => {
    const res = await run(TASK, { projectId: 'prj_open', name: 'Build' });
    expect(res.data!.addTask).toMatchObject({ name: 'Build', billable: true, project: { id: 'prj_open' } });
    const nb = await run(TASK, { projectId: 'prj_nb', name: 'Internal' });
    expect(nb.data!.addTask.billable).toBe(false);
  });

  it('rule "a closed project takes no tasks": INVALID_STATE_TRANSITION; "no billable task on a non-billable project": BAD_USER_INPUT', async () => {
    expect(codes(await expectNoWrite(() => run(TASK, { projectId: 'prj_closed', name: 'Late' })))).toEqual(['INVALID_STATE_TRANSITION']);
    expect(codes(await expectNoWrite(() => run(TASK, { projectId: 'prj_nb', name: 'Billable?', billable: true })))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('assigns a resource with the project dates by default; the same project, resource and role again updates it', async () => {
    const first = await run(ASSIGN, { projectId: 'prj_open', resourceId: 'res_ana', plannedHours: 40.25 });
    expect(first.data!.assignResource).toMatchObject({
      role: 'CONSULTANT',
      startDate: '2026-01-01',
      endDate: '2026-06-30',
      plannedHours: 40.25,
    });
    const again = await run(ASSIGN, { projectId: 'prj_open', resourceId: 'res_ana', plannedHours: 80, startDate: '2026-02-01' });
    expect(again.data!.assignResource).toMatchObject({ id: first.data!.assignResource.id, startDate: '2026-02-01', plannedHours: 80 });
    const rows = await t.db.selectFrom('psa.assignments').selectAll().where('project_id', '=', 'prj_open').execute();
    expect(rows).toHaveLength(1);
  });

  it('rules "resource active", "project open", "within the project dates": codes, nothing written', async () => {
    expect(codes(await expectNoWrite(() => run(ASSIGN, { projectId: 'prj_open', resourceId: 'res_old' })))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
    expect(codes(await expectNoWrite(() => run(ASSIGN, { projectId: 'prj_closed', resourceId: 'res_ana' })))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
    expect(
      codes(await expectNoWrite(() => run(ASSIGN, { projectId: 'prj_open', resourceId: 'res_ana', role: 'PM', startDate: '2025-12-31' }))),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(await expectNoWrite(() => run(ASSIGN, { projectId: 'prj_open', resourceId: 'res_ana', role: 'PM', endDate: '2026-07-01' }))),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(await expectNoWrite(() => run(ASSIGN, { projectId: 'prj_open', resourceId: 'res_ana', role: 'PM', plannedHours: 1.1 }))),
    ).toEqual(['INVALID_HOURS']);
    expect(codes(await expectNoWrite(() => run(ASSIGN, { projectId: 'prj_open', resourceId: 'res_none' })))).toEqual(['NOT_FOUND']);
  });
});
