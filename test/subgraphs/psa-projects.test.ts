import type { ExecutionResult } from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from '../../subgraphs/psa/api/index.ts';
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

let seq = 0;
const projectInput = (over: Partial<api.CreateProjectInput> = {}): api.CreateProjectInput => ({
  code: `P-${++seq}`,
  name: 'Delivery',
  customerId: 'cus_a',
  currency: 'USD',
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  serviceLine: 'ENGINEERING',
  ...over,
});

const CREATE = `mutation($input: CreateProjectInput!) { createProject(input: $input) { id code name status currency billable legalEntity { id } startDate endDate
  budget { hours fee { amount minorUnits } } rateCard { id } opportunity { id } customer { id } } }`;
const CONTRACT = `mutation($input: CreateContractInput!) { createContract(input: $input) { id billingModel currency cap { amount } fixedFee { amount minorUnits }
  roundingIncrementMinutes roundingMode startDate endDate status } }`;

beforeAll(async () => {
  t = await createTestDatabase();
  psa = createPsaSubgraph(t.db);
  await t.db
    .insertInto('psa.customer_refs')
    .values([
      { customer_id: 'cus_a', name: 'Acme', legal_entity_id: 'le_us', currency: 'USD', payment_terms_days: 30 },
      { customer_id: 'cus_nole', name: 'No Entity Ltd', currency: 'USD' },
    ])
    .execute();
  await t.db
    .insertInto('psa.rate_cards')
    .values([
      { id: 'rc_usd', name: 'USD card', currency: 'USD' },
      { id: 'rc_eur', name: 'EUR card', currency: 'EUR' },
    ])
    .execute();
  await api.createProject(t.db, projectInput({ id: 'prj_opp', code: 'OPP-1', name: 'From the deal', opportunityId: 'opp_1' }));
});
afterAll(async () => t.drop());

describe('psa createProject', () => {
  it('creates a DRAFT project with the customer legal entity, exact budget and rate card', async () => {
    const res = await execute(psa, CREATE, {
      input: projectInput({ code: 'ACME-01', budgetHours: 120.75, budgetFee: '18000.05', rateCardId: 'rc_usd', billable: false }),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createProject).toMatchObject({
      code: 'ACME-01',
      status: 'DRAFT',
      currency: 'USD',
      billable: false,
      legalEntity: { id: 'le_us' },
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      budget: { hours: 120.75, fee: { amount: '18000.05', minorUnits: '1800005' } },
      rateCard: { id: 'rc_usd' },
      opportunity: null,
      customer: { id: 'cus_a' },
    });
  });

  it('rule "end date on or after start date": BAD_USER_INPUT, nothing written', async () => {
    const res = await expectNoWrite(() =>
      execute(psa, CREATE, { input: projectInput({ startDate: '2026-05-01', endDate: '2026-04-30' }) }),
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions.field).toBe('endDate');
  });

  it('rule "currency known": INVALID_MONEY, nothing written', async () => {
    const res = await expectNoWrite(() => execute(psa, CREATE, { input: projectInput({ currency: 'XXX' }) }));
    expect(codes(res)).toEqual(['INVALID_MONEY']);
  });

  it('rule "rate card currency equals project currency": CURRENCY_MISMATCH, nothing written', async () => {
    const res = await expectNoWrite(() => execute(psa, CREATE, { input: projectInput({ rateCardId: 'rc_eur' }) }));
    expect(codes(res)).toEqual(['CURRENCY_MISMATCH']);
  });

  it('rule "rate card exists": NOT_FOUND, nothing written', async () => {
    const res = await expectNoWrite(() => execute(psa, CREATE, { input: projectInput({ rateCardId: 'rc_none' }) }));
    expect(codes(res)).toEqual(['NOT_FOUND']);
  });

  it('rule "unique code": DUPLICATE, nothing written', async () => {
    const res = await expectNoWrite(() => execute(psa, CREATE, { input: projectInput({ code: 'OPP-1' }) }));
    expect(codes(res)).toEqual(['DUPLICATE']);
    expect(res.errors![0]!.extensions.field).toBe('code');
  });

  it('rule "customer has a PSA customer reference": NOT_FOUND, nothing written', async () => {
    const res = await expectNoWrite(() => execute(psa, CREATE, { input: projectInput({ customerId: 'cus_unknown' }) }));
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(res.errors![0]!.extensions.field).toBe('customerId');
  });

  it('rule "legal entity known": BAD_USER_INPUT when neither the input nor the customer has one', async () => {
    const res = await expectNoWrite(() => execute(psa, CREATE, { input: projectInput({ customerId: 'cus_nole' }) }));
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const ok = await execute(psa, CREATE, { input: projectInput({ customerId: 'cus_nole', legalEntityId: 'le_de' }) });
    expect(ok.data!.createProject.legalEntity).toEqual({ id: 'le_de' });
  });

  it('rule "budget in quarter hours and currency decimals": INVALID_HOURS / INVALID_MONEY, nothing written', async () => {
    expect(codes(await expectNoWrite(() => execute(psa, CREATE, { input: projectInput({ budgetHours: 10.1 }) })))).toEqual([
      'INVALID_HOURS',
    ]);
    expect(codes(await expectNoWrite(() => execute(psa, CREATE, { input: projectInput({ budgetFee: '10.001' }) })))).toEqual([
      'INVALID_MONEY',
    ]);
    expect(codes(await expectNoWrite(() => execute(psa, CREATE, { input: projectInput({ budgetFee: '-1.00' }) })))).toEqual([
      'INVALID_MONEY',
    ]);
  });

  it('rule "one project per opportunity": a second create returns the existing project unchanged', async () => {
    const res = await expectNoWrite(() =>
      execute(psa, CREATE, { input: projectInput({ code: 'OTHER', name: 'Other name', opportunityId: 'opp_1', currency: 'EUR' }) }),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createProject).toMatchObject({
      id: 'prj_opp',
      code: 'OPP-1',
      name: 'From the deal',
      currency: 'USD',
      opportunity: { id: 'opp_1' },
    });
  });

  it('rule "one project per opportunity" holds for concurrent creates: both get the same project', async () => {
    const input = projectInput({ code: 'RACE-1', opportunityId: 'opp_race' });
    const [a, b] = await Promise.all([api.createProject(t.db, input), api.createProject(t.db, input)]);
    expect(a.id).toBe(b.id);
    const rows = await t.db.selectFrom('psa.projects').select('id').where('opportunity_id', '=', 'opp_race').execute();
    expect(rows).toHaveLength(1);
  });
});

describe('psa updateProject', () => {
  it('changes fields and clears optional ones with null', async () => {
    const p = await api.createProject(t.db, projectInput({ budgetHours: 10, rateCardId: 'rc_usd' }));
    const res = await execute(
      psa,
      `mutation($id: ID!) { updateProject(id: $id, input: { name: "Renamed", endDate: null, budgetHours: null, rateCardId: null }) { name endDate budget { hours } rateCard { id } } }`,
      { id: p.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateProject).toEqual({ name: 'Renamed', endDate: null, budget: { hours: null }, rateCard: null });
  });

  it('rule "end date on or after start date" checks the stored start too: BAD_USER_INPUT, nothing written', async () => {
    const p = await api.createProject(t.db, projectInput({ startDate: '2026-03-01', endDate: null }));
    const res = await expectNoWrite(() =>
      execute(psa, `mutation($id: ID!) { updateProject(id: $id, input: { endDate: "2026-02-28", name: "X" }) { id } }`, { id: p.id }),
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('rule "unique code": DUPLICATE, nothing written', async () => {
    const p = await api.createProject(t.db, projectInput());
    const res = await expectNoWrite(() =>
      execute(psa, `mutation($id: ID!) { updateProject(id: $id, input: { code: "OPP-1" }) { id } }`, { id: p.id }),
    );
    expect(codes(res)).toEqual(['DUPLICATE']);
  });

  it('rule "rate card currency equals project currency": CURRENCY_MISMATCH, nothing written', async () => {
    const p = await api.createProject(t.db, projectInput());
    const res = await expectNoWrite(() =>
      execute(psa, `mutation($id: ID!) { updateProject(id: $id, input: { rateCardId: "rc_eur" }) { id } }`, { id: p.id }),
    );
    expect(codes(res)).toEqual(['CURRENCY_MISMATCH']);
  });

  it('rule "a closed project is final": INVALID_STATE_TRANSITION, nothing written', async () => {
    const p = await api.createProject(t.db, projectInput());
    await api.activateProject(t.db, p.id);
    await api.closeProject(t.db, p.id);
    const res = await expectNoWrite(() =>
      execute(psa, `mutation($id: ID!) { updateProject(id: $id, input: { name: "Again" }) { id } }`, { id: p.id }),
    );
    expect(codes(res)).toEqual(['INVALID_STATE_TRANSITION']);
  });
});

describe('psa project lifecycle', () => {
  const ACTIVATE = `mutation($id: ID!) { activateProject(id: $id) { status updatedAt contract { status } } }`;
  const CLOSE = `mutation($id: ID!) { closeProject(id: $id) { status contract { status } } }`;

  it('DRAFT -> ACTIVE -> CLOSED, the contract following; repeating a step returns the project unchanged', async () => {
    const p = await api.createProject(t.db, projectInput());
    await api.createContract(t.db, { projectId: p.id, billingModel: 'TIME_AND_MATERIALS' });
    const active = await execute(psa, ACTIVATE, { id: p.id });
    expect(active.data!.activateProject).toMatchObject({ status: 'ACTIVE', contract: { status: 'ACTIVE' } });
    const again = await expectNoWrite(() => execute(psa, ACTIVATE, { id: p.id }));
    expect(again.data!.activateProject).toEqual(active.data!.activateProject);
    expect((await execute(psa, CLOSE, { id: p.id })).data!.closeProject).toEqual({ status: 'CLOSED', contract: { status: 'CLOSED' } });
    expect((await expectNoWrite(() => execute(psa, CLOSE, { id: p.id }))).data!.closeProject.status).toBe('CLOSED');
  });

  it('rule "only an ACTIVE project closes": closing a DRAFT is INVALID_STATE_TRANSITION, nothing written', async () => {
    const p = await api.createProject(t.db, projectInput());
    expect(codes(await expectNoWrite(() => execute(psa, CLOSE, { id: p.id })))).toEqual(['INVALID_STATE_TRANSITION']);
  });

  it('rule "a CLOSED project is never reactivated": INVALID_STATE_TRANSITION, nothing written', async () => {
    const p = await api.createProject(t.db, projectInput());
    await api.activateProject(t.db, p.id);
    await api.closeProject(t.db, p.id);
    expect(codes(await expectNoWrite(() => execute(psa, ACTIVATE, { id: p.id })))).toEqual(['INVALID_STATE_TRANSITION']);
  });

  it('an unknown project is NOT_FOUND', async () => {
    expect(codes(await execute(psa, ACTIVATE, { id: 'prj_none' }))).toEqual(['NOT_FOUND']);
  });
});

describe('psa createContract', () => {
  it('creates T&M terms in the project currency with the project dates and status, money exact', async () => {
    const p = await api.createProject(t.db, projectInput({ startDate: '2026-02-01', endDate: '2026-08-31' }));
    const res = await execute(psa, CONTRACT, {
      input: { projectId: p.id, billingModel: 'TIME_AND_MATERIALS', cap: '50000.10', roundingIncrementMinutes: 6, roundingMode: 'NEAREST' },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createContract).toMatchObject({
      billingModel: 'TIME_AND_MATERIALS',
      currency: 'USD',
      cap: { amount: '50000.10' },
      fixedFee: null,
      roundingIncrementMinutes: 6,
      roundingMode: 'NEAREST',
      startDate: '2026-02-01',
      endDate: '2026-08-31',
      status: 'DRAFT',
    });
  });

  it('rule "one contract per project": a second create returns the first unchanged', async () => {
    const p = await api.createProject(t.db, projectInput());
    const first = await execute(psa, CONTRACT, { input: { projectId: p.id, billingModel: 'FIXED_FEE', fixedFee: '9999.99' } });
    const second = await expectNoWrite(() => execute(psa, CONTRACT, { input: { projectId: p.id, billingModel: 'TIME_AND_MATERIALS' } }));
    expect(second.data!.createContract).toEqual(first.data!.createContract);
    expect(first.data!.createContract.fixedFee).toEqual({ amount: '9999.99', minorUnits: '999999' });
  });

  it('rule "FIXED_FEE needs fixedFee": BAD_USER_INPUT, nothing written', async () => {
    const p = await api.createProject(t.db, projectInput());
    const res = await expectNoWrite(() => execute(psa, CONTRACT, { input: { projectId: p.id, billingModel: 'FIXED_FEE' } }));
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions.field).toBe('fixedFee');
  });

  it('rule "only FIXED_FEE takes fixedFee, only T&M takes a cap": BAD_USER_INPUT, nothing written', async () => {
    const p = await api.createProject(t.db, projectInput());
    expect(
      codes(
        await expectNoWrite(() =>
          execute(psa, CONTRACT, { input: { projectId: p.id, billingModel: 'TIME_AND_MATERIALS', fixedFee: '10.00' } }),
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(
        await expectNoWrite(() =>
          execute(psa, CONTRACT, { input: { projectId: p.id, billingModel: 'FIXED_FEE', fixedFee: '10.00', cap: '20.00' } }),
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(await expectNoWrite(() => execute(psa, CONTRACT, { input: { projectId: p.id, billingModel: 'MILESTONES', cap: '20.00' } }))),
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('rule "fixed fee and cap are positive amounts in the project currency": INVALID_MONEY, nothing written', async () => {
    const p = await api.createProject(t.db, projectInput());
    expect(
      codes(await expectNoWrite(() => execute(psa, CONTRACT, { input: { projectId: p.id, billingModel: 'FIXED_FEE', fixedFee: '0' } }))),
    ).toEqual(['INVALID_MONEY']);
    expect(
      codes(
        await expectNoWrite(() => execute(psa, CONTRACT, { input: { projectId: p.id, billingModel: 'TIME_AND_MATERIALS', cap: '1.234' } })),
      ),
    ).toEqual(['INVALID_MONEY']);
  });

  it('rule "rounding increment is 1, 6, 15, 30 or 60 minutes": BAD_USER_INPUT, nothing written', async () => {
    const p = await api.createProject(t.db, projectInput());
    const res = await expectNoWrite(() =>
      execute(psa, CONTRACT, { input: { projectId: p.id, billingModel: 'TIME_AND_MATERIALS', roundingIncrementMinutes: 10 } }),
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('rule "contract end on or after start": BAD_USER_INPUT, nothing written', async () => {
    const p = await api.createProject(t.db, projectInput());
    const res = await expectNoWrite(() =>
      execute(psa, CONTRACT, {
        input: { projectId: p.id, billingModel: 'TIME_AND_MATERIALS', startDate: '2026-06-01', endDate: '2026-05-01' },
      }),
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('rule "a closed project takes no new contract": INVALID_STATE_TRANSITION; unknown project: NOT_FOUND', async () => {
    const p = await api.createProject(t.db, projectInput());
    await api.activateProject(t.db, p.id);
    await api.closeProject(t.db, p.id);
    expect(
      codes(await expectNoWrite(() => execute(psa, CONTRACT, { input: { projectId: p.id, billingModel: 'TIME_AND_MATERIALS' } }))),
    ).toEqual(['INVALID_STATE_TRANSITION']);
    expect(
      codes(await expectNoWrite(() => execute(psa, CONTRACT, { input: { projectId: 'prj_none', billingModel: 'TIME_AND_MATERIALS' } }))),
    ).toEqual(['NOT_FOUND']);
  });
});
