import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPsaSubgraph } from '../../subgraphs/psa/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let psa: ReturnType<typeof createPsaSubgraph>;

const base = { legal_entity_id: 'le_us', currency: 'USD', service_line: 'ENGINEERING' };

beforeAll(async () => {
  t = await createTestDatabase();
  psa = createPsaSubgraph(t.db);
  await t.db
    .insertInto('psa.customer_refs')
    .values([
      { customer_id: 'cus_a', name: 'Acme', legal_entity_id: 'le_us', currency: 'USD', payment_terms_days: 30 },
      { customer_id: 'cus_b', name: 'Beta', legal_entity_id: 'le_uk', currency: 'GBP', payment_terms_days: 45 },
    ])
    .execute();
  await t.db
    .insertInto('psa.rate_cards')
    .values([
      { id: 'rc_usd', name: 'Standard USD', currency: 'USD' },
      { id: 'rc_gbp', name: 'Standard GBP', currency: 'GBP' },
    ])
    .execute();
  await t.db
    .insertInto('psa.rate_card_rates')
    .values([
      { id: 'r1', rate_card_id: 'rc_usd', role: 'MANAGER', rate_minor: 20000, effective_from: '2026-01-01' },
      { id: 'r2', rate_card_id: 'rc_usd', role: 'CONSULTANT', rate_minor: 15000, effective_from: '2026-01-01' },
      { id: 'r3', rate_card_id: 'rc_usd', role: 'CONSULTANT', rate_minor: 16050, effective_from: '2026-07-01' },
    ])
    .execute();
  await t.db
    .insertInto('psa.resources')
    .values([
      {
        id: 'res_ana',
        name: 'Ana Alves',
        email: 'ana@firm.test',
        role: 'CONSULTANT',
        cost_rate_minor: 8000,
        cost_currency: 'USD',
        legal_entity_id: 'le_us',
        capacity_minutes_per_week: 2400,
      },
      {
        id: 'res_bo',
        name: 'Bo Berg',
        role: 'MANAGER',
        cost_rate_minor: 11025,
        cost_currency: 'GBP',
        legal_entity_id: 'le_uk',
        capacity_minutes_per_week: 2250,
      },
      {
        id: 'res_cy',
        name: 'Cy Cole',
        role: 'CONSULTANT',
        cost_rate_minor: 7000,
        cost_currency: 'USD',
        legal_entity_id: 'le_us',
        capacity_minutes_per_week: 1200,
        active: false,
      },
    ])
    .execute();
  await t.db
    .insertInto('psa.projects')
    .values([
      {
        ...base,
        id: 'prj_1',
        code: 'A-01',
        name: 'Alpha rollout',
        customer_id: 'cus_a',
        opportunity_id: 'opp_1',
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        status: 'ACTIVE',
        budget_minutes: 6000,
        budget_fee_minor: 1500000,
        rate_card_id: 'rc_usd',
      },
      {
        ...base,
        id: 'prj_2',
        code: 'C-02',
        name: 'Beta audit',
        customer_id: 'cus_b',
        currency: 'GBP',
        legal_entity_id: 'le_uk',
        billable: false,
        start_date: '2026-03-01',
        status: 'DRAFT',
        service_line: 'ADVISORY',
        rate_card_id: 'rc_gbp',
      },
      {
        ...base,
        id: 'prj_3',
        code: 'B-03',
        name: 'Gamma support',
        customer_id: 'cus_a',
        start_date: '2025-06-01',
        end_date: '2025-12-31',
        status: 'CLOSED',
      },
    ])
    .execute();
  await t.db
    .insertInto('psa.contracts')
    .values({
      id: 'ctr_1',
      project_id: 'prj_1',
      customer_id: 'cus_a',
      billing_model: 'TIME_AND_MATERIALS',
      currency: 'USD',
      cap_minor: 2000000,
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      status: 'ACTIVE',
    })
    .execute();
  await t.db
    .insertInto('psa.tasks')
    .values([
      { id: 'tsk_2', project_id: 'prj_1', name: 'Design' },
      { id: 'tsk_1', project_id: 'prj_1', name: 'Build' },
      { id: 'tsk_3', project_id: 'prj_2', name: 'Audit', billable: false },
    ])
    .execute();
  await t.db
    .insertInto('psa.assignments')
    .values([
      { id: 'asg_1', project_id: 'prj_1', resource_id: 'res_ana', role: 'CONSULTANT', start_date: '2026-01-01', planned_minutes: 3600 },
      { id: 'asg_2', project_id: 'prj_1', resource_id: 'res_bo', role: 'MANAGER', start_date: '2026-02-01', planned_minutes: 735 },
      { id: 'asg_3', project_id: 'prj_2', resource_id: 'res_ana', role: 'CONSULTANT', start_date: '2026-03-01', planned_minutes: 600 },
    ])
    .execute();
  await t.db
    .insertInto('psa.rate_overrides')
    .values({
      id: 'ov_1',
      scope: 'PROJECT_ROLE',
      project_id: 'prj_1',
      role: 'CONSULTANT',
      rate_minor: 17500,
      currency: 'USD',
      effective_from: '2026-02-01',
    })
    .execute();
});
afterAll(async () => t.drop());

const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id);

describe('psa entities', () => {
  it('resolves Project and Resource by key through _entities, in key order, null for unknown ids', async () => {
    const res = await execute(
      psa,
      `query($r: [_Any!]!) { _entities(representations: $r) {
         ... on Project { id code status customer { id } opportunity { id } legalEntity { id } }
         ... on Resource { id name costRate { amount currency } capacityHoursPerWeek legalEntity { id } } } }`,
      {
        r: [
          { __typename: 'Resource', id: 'res_bo' },
          { __typename: 'Project', id: 'prj_3' },
          { __typename: 'Project', id: 'nope' },
          { __typename: 'Resource', id: 'nope' },
          { __typename: 'Project', id: 'prj_1' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      {
        id: 'res_bo',
        name: 'Bo Berg',
        costRate: { amount: '110.25', currency: 'GBP' },
        capacityHoursPerWeek: 37.5,
        legalEntity: { id: 'le_uk' },
      },
      { id: 'prj_3', code: 'B-03', status: 'CLOSED', customer: { id: 'cus_a' }, opportunity: null, legalEntity: { id: 'le_us' } },
      null,
      null,
      {
        id: 'prj_1',
        code: 'A-01',
        status: 'ACTIVE',
        customer: { id: 'cus_a' },
        opportunity: { id: 'opp_1' },
        legalEntity: { id: 'le_us' },
      },
    ]);
  });

  it('extends Customer with projects(status) and Opportunity with project; ids without PSA data get empty fields', async () => {
    const res = await execute(
      psa,
      `query($r: [_Any!]!) { _entities(representations: $r) {
         ... on Customer { id projects { id } active: projects(status: ACTIVE) { id } }
         ... on Opportunity { id project { id name } } } }`,
      {
        r: [
          { __typename: 'Opportunity', id: 'opp_1' },
          { __typename: 'Customer', id: 'cus_a' },
          { __typename: 'Customer', id: 'cus_none' },
          { __typename: 'Opportunity', id: 'opp_none' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      { id: 'opp_1', project: { id: 'prj_1', name: 'Alpha rollout' } },
      { id: 'cus_a', projects: [{ id: 'prj_1' }, { id: 'prj_3' }], active: [{ id: 'prj_1' }] },
      { id: 'cus_none', projects: [], active: [] },
      { id: 'opp_none', project: null },
    ]);
  });
});

describe('psa project detail', () => {
  it('exposes contract, rate card rates, overrides, tasks and assignments with exact money', async () => {
    const res = await execute(
      psa,
      `{ project(id: "prj_1") {
         currency billable startDate endDate serviceLine
         contract { id billingModel currency cap { amount minorUnits } fixedFee { amount } roundingIncrementMinutes roundingMode status project { id } customer { id } }
         rateCard { id currency rates { role rate { amount } effectiveFrom } consultant: rates(role: "CONSULTANT") { rate { amount } } }
         rateOverrides { scope role rate { amount } effectiveFrom project { id } customer { id } resource { id } }
         tasks { id name billable project { id } }
         assignments { id role plannedHours startDate endDate resource { id name } project { id } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const p = res.data.project;
    expect(p).toMatchObject({
      currency: 'USD',
      billable: true,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      serviceLine: 'ENGINEERING',
    });
    expect(p.contract).toEqual({
      id: 'ctr_1',
      billingModel: 'TIME_AND_MATERIALS',
      currency: 'USD',
      cap: { amount: '20000.00', minorUnits: '2000000' },
      fixedFee: null,
      roundingIncrementMinutes: 15,
      roundingMode: 'UP',
      status: 'ACTIVE',
      project: { id: 'prj_1' },
      customer: { id: 'cus_a' },
    });
    expect(p.rateCard).toEqual({
      id: 'rc_usd',
      currency: 'USD',
      rates: [
        { role: 'CONSULTANT', rate: { amount: '150.00' }, effectiveFrom: '2026-01-01' },
        { role: 'CONSULTANT', rate: { amount: '160.50' }, effectiveFrom: '2026-07-01' },
        { role: 'MANAGER', rate: { amount: '200.00' }, effectiveFrom: '2026-01-01' },
      ],
      consultant: [{ rate: { amount: '150.00' } }, { rate: { amount: '160.50' } }],
    });
    expect(p.rateOverrides).toEqual([
      {
        scope: 'PROJECT_ROLE',
        role: 'CONSULTANT',
        rate: { amount: '175.00' },
        effectiveFrom: '2026-02-01',
        project: { id: 'prj_1' },
        customer: null,
        resource: null,
      },
    ]);
    expect(p.tasks).toEqual([
      { id: 'tsk_1', name: 'Build', billable: true, project: { id: 'prj_1' } },
      { id: 'tsk_2', name: 'Design', billable: true, project: { id: 'prj_1' } },
    ]);
    expect(p.assignments).toEqual([
      {
        id: 'asg_1',
        role: 'CONSULTANT',
        plannedHours: 60,
        startDate: '2026-01-01',
        endDate: null,
        resource: { id: 'res_ana', name: 'Ana Alves' },
        project: { id: 'prj_1' },
      },
      {
        id: 'asg_2',
        role: 'MANAGER',
        plannedHours: 12.25,
        startDate: '2026-02-01',
        endDate: null,
        resource: { id: 'res_bo', name: 'Bo Berg' },
        project: { id: 'prj_1' },
      },
    ]);
  });

  it('sums planned hours per project in SQL: budget plannedHours and remainingHours are exact', async () => {
    const res = await execute(
      psa,
      `{ projects(first: 10) { nodes { id budget { hours fee { amount currency } plannedHours remainingHours } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.projects.nodes).toEqual([
      { id: 'prj_1', budget: { hours: 100, fee: { amount: '15000.00', currency: 'USD' }, plannedHours: 72.25, remainingHours: 27.75 } },
      { id: 'prj_2', budget: { hours: null, fee: null, plannedHours: 10, remainingHours: null } },
      { id: 'prj_3', budget: { hours: null, fee: null, plannedHours: 0, remainingHours: null } },
    ]);
  });

  it('shows a resource with its cost, capacity and assignments', async () => {
    const res = await execute(
      psa,
      `{ resource(id: "res_ana") { name email role active costRate { amount currency minorUnits } capacityHoursPerWeek assignments { project { id } plannedHours } } }`,
    );
    expect(res.data.resource).toEqual({
      name: 'Ana Alves',
      email: 'ana@firm.test',
      role: 'CONSULTANT',
      active: true,
      costRate: { amount: '80.00', currency: 'USD', minorUnits: '8000' },
      capacityHoursPerWeek: 40,
      assignments: [
        { project: { id: 'prj_1' }, plannedHours: 60 },
        { project: { id: 'prj_2' }, plannedHours: 10 },
      ],
    });
  });
});

describe('psa lists', () => {
  it('pages projects with cursors and totalCount, in every sort order', async () => {
    const q = `query($after: String, $o: ProjectOrder) { projects(first: 2, after: $after, orderBy: $o) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`;
    const p1 = await execute(psa, q);
    expect(ids(p1.data.projects.nodes)).toEqual(['prj_1', 'prj_2']);
    expect(p1.data.projects).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const p2 = await execute(psa, q, { after: p1.data.projects.pageInfo.endCursor });
    expect(ids(p2.data.projects.nodes)).toEqual(['prj_3']);
    expect(p2.data.projects.pageInfo.hasNextPage).toBe(false);
    const byCode = await execute(psa, q, { o: { field: 'CODE', direction: 'ASC' } });
    expect(ids(byCode.data.projects.nodes)).toEqual(['prj_1', 'prj_3']);
    const byStart = await execute(psa, q, { o: { field: 'START_DATE', direction: 'DESC' } });
    expect(ids(byStart.data.projects.nodes)).toEqual(['prj_2', 'prj_1']);
    const byStart2 = await execute(psa, q, {
      o: { field: 'START_DATE', direction: 'DESC' },
      after: byStart.data.projects.pageInfo.endCursor,
    });
    expect(ids(byStart2.data.projects.nodes)).toEqual(['prj_3']);
  });

  it('filters projects by customer, status, service line, billable flag and name', async () => {
    const q = `query($f: ProjectFilter) { projects(filter: $f) { nodes { id } totalCount } }`;
    const cases: [Record<string, unknown>, string[]][] = [
      [{ customerId: 'cus_a' }, ['prj_1', 'prj_3']],
      [{ customerId: 'cus_a', status: 'CLOSED' }, ['prj_3']],
      [{ serviceLine: 'ADVISORY' }, ['prj_2']],
      [{ billable: false }, ['prj_2']],
      [{ billable: true }, ['prj_1', 'prj_3']],
      [{ nameContains: 'ALPHA' }, ['prj_1']],
      [{ nameContains: '%' }, []],
    ];
    for (const [f, expected] of cases) {
      const res = await execute(psa, q, { f });
      expect({ f, ids: ids(res.data.projects.nodes), n: res.data.projects.totalCount }).toEqual({ f, ids: expected, n: expected.length });
    }
  });

  it('pages and filters resources and rate cards', async () => {
    const q = `query($after: String, $f: ResourceFilter) { resources(first: 2, after: $after, filter: $f) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`;
    const p1 = await execute(psa, q);
    expect(ids(p1.data.resources.nodes)).toEqual(['res_ana', 'res_bo']);
    const p2 = await execute(psa, q, { after: p1.data.resources.pageInfo.endCursor });
    expect(p2.data.resources).toMatchObject({ nodes: [{ id: 'res_cy' }], totalCount: 3, pageInfo: { hasNextPage: false } });
    expect(ids((await execute(psa, q, { f: { active: true, role: 'CONSULTANT' } })).data.resources.nodes)).toEqual(['res_ana']);
    expect(ids((await execute(psa, q, { f: { legalEntityId: 'le_uk' } })).data.resources.nodes)).toEqual(['res_bo']);
    expect(ids((await execute(psa, q, { f: { nameContains: 'cole' } })).data.resources.nodes)).toEqual(['res_cy']);
    const cards = await execute(
      psa,
      `{ all: rateCards { nodes { id } totalCount } gbp: rateCards(filter: { currency: "GBP" }) { nodes { id name } } one: rateCard(id: "rc_usd") { name } }`,
    );
    expect(cards.data).toEqual({
      all: { nodes: [{ id: 'rc_gbp' }, { id: 'rc_usd' }], totalCount: 2 },
      gbp: { nodes: [{ id: 'rc_gbp', name: 'Standard GBP' }] },
      one: { name: 'Standard USD' },
    });
  });

  it('rejects a malformed cursor, or one from another list or sort, with INVALID_CURSOR', async () => {
    expect(codes(await execute(psa, `{ projects(after: "not-a-cursor") { nodes { id } } }`))).toEqual(['INVALID_CURSOR']);
    const p1 = await execute(psa, `{ projects(first: 1) { pageInfo { endCursor } } }`);
    const cursor = p1.data.projects.pageInfo.endCursor;
    expect(
      codes(await execute(psa, `query($c: String) { projects(after: $c, orderBy: { field: CODE }) { nodes { id } } }`, { c: cursor })),
    ).toEqual(['INVALID_CURSOR']);
    expect(codes(await execute(psa, `query($c: String) { resources(after: $c) { nodes { id } } }`, { c: cursor }))).toEqual([
      'INVALID_CURSOR',
    ]);
  });

  it('refuses a page size over 1000', async () => {
    expect(codes(await execute(psa, `{ projects(first: 1001) { nodes { id } } }`))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('psa query cost', () => {
  it('runs the same number of SQL statements whatever the number of projects and children', async () => {
    const q = `query($n: Int) { projects(first: $n) { nodes { id customer { projects { id } } opportunity { id } contract { id }
      rateCard { rates { id } } rateOverrides { id } tasks { id } budget { plannedHours remainingHours }
      assignments { resource { id assignments { project { code } } } } } } }`;
    t.statements.length = 0;
    const one = await execute(psa, q, { n: 1 });
    const forOne = t.statements.length;
    t.statements.length = 0;
    const all = await execute(psa, q, { n: 3 });
    expect(one.errors).toBeUndefined();
    expect(all.errors).toBeUndefined();
    expect(all.data.projects.nodes).toHaveLength(3);
    expect(t.statements.length).toBe(forOne);
    // The page, then one batched statement per child field: customer projects, contract, rate card, rates, overrides,
    // tasks, planned-hours sum, assignments, their resources, those resources' assignments and their projects.
    expect(forOne).toBe(12);
  });
});
