import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmSubgraph } from '../../subgraphs/crm/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let crm: ReturnType<typeof createCrmSubgraph>;

beforeAll(async () => {
  t = await createTestDatabase();
  crm = createCrmSubgraph(t.db);
  await t.db
    .insertInto('crm.customers')
    .values([
      { id: 'cus_a', name: 'Acme Holdings', region: 'NA', industry: 'Manufacturing' },
      { id: 'cus_b', name: 'Beta Bank', region: 'EMEA', industry: 'Finance' },
      { id: 'cus_c', name: 'Acme Logistics', region: 'NA', parent_id: 'cus_a' },
    ])
    .execute();
});
afterAll(async () => t.drop());

const OPP = `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id stage amount { amount currency minorUnits } workstreams { role hours rate { amount } } } }`;
const oppInput = (over: Record<string, unknown> = {}) => ({
  customerId: 'cus_a',
  name: 'ERP rollout',
  amount: '120000.50',
  currency: 'USD',
  closeDate: '2026-12-01',
  billingModel: 'TIME_AND_MATERIALS',
  serviceLine: 'ENGINEERING',
  workstreams: [{ role: 'CONSULTANT', hours: 120.5, rate: '150.00' }],
  ...over,
});

describe('crm subgraph', () => {
  it('resolves Customer and Opportunity entities by key through _entities, in key order, null for unknown ids', async () => {
    const created = await execute(crm, OPP, { input: oppInput() });
    expect(created.errors).toBeUndefined();
    const oppId = created.data.createOpportunity.id;
    const res = await execute(
      crm,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id name parent { name } } ... on Opportunity { id name customer { id } } } }`,
      {
        r: [
          { __typename: 'Customer', id: 'cus_c' },
          { __typename: 'Opportunity', id: oppId },
          { __typename: 'Customer', id: 'nope' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      { id: 'cus_c', name: 'Acme Logistics', parent: { name: 'Acme Holdings' } },
      { id: oppId, name: 'ERP rollout', customer: { id: 'cus_a' } },
      null,
    ]);
  });

  it('keeps money exact: decimal strings in, decimal strings and minor units out', async () => {
    const res = await execute(crm, OPP, { input: oppInput({ amount: '0.10' }) });
    expect(res.data.createOpportunity.amount).toEqual({ amount: '0.10', currency: 'USD', minorUnits: '10' });
    expect(res.data.createOpportunity.workstreams[0]).toEqual({ role: 'CONSULTANT', hours: 120.5, rate: { amount: '150.00' } });
  });

  it('pages customers with cursors, filters and totalCount', async () => {
    const q = `query($after: String) { customers(first: 2, after: $after, orderBy: { field: NAME, direction: ASC }) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`;
    const p1 = await execute(crm, q);
    expect(p1.data.customers.nodes.map((n: { id: string }) => n.id)).toEqual(['cus_a', 'cus_c']);
    expect(p1.data.customers.totalCount).toBe(3);
    const p2 = await execute(crm, q, { after: p1.data.customers.pageInfo.endCursor });
    expect(p2.data.customers.nodes.map((n: { id: string }) => n.id)).toEqual(['cus_b']);
    expect(p2.data.customers.pageInfo.hasNextPage).toBe(false);
    const filtered = await execute(crm, `{ customers(filter: { nameContains: "acme", topLevelOnly: true }) { nodes { id } totalCount } }`);
    expect(filtered.data.customers).toEqual({ nodes: [{ id: 'cus_a' }], totalCount: 1 });
  });

  it('pages by a timestamp without skipping or repeating rows created within the same millisecond', async () => {
    await t.db
      .insertInto('crm.customers')
      .values(
        ['001', '002', '003'].map((us, i) => ({
          id: `cus_ms${i}`,
          name: `Same ms ${i}`,
          region: 'LATAM',
          created_at: sql`${`2020-01-01 00:00:00.000${us}+00`}::timestamptz`,
        })),
      )
      .execute();
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 4; i++) {
      const page: any = await execute(
        crm,
        `query($after: String) { customers(first: 1, after: $after, filter: { region: "LATAM" }, orderBy: { field: CREATED_AT, direction: ASC }) { nodes { id } pageInfo { endCursor hasNextPage } } }`,
        { after },
      );
      seen.push(...page.data.customers.nodes.map((n: { id: string }) => n.id));
      if (!page.data.customers.pageInfo.hasNextPage) break;
      after = page.data.customers.pageInfo.endCursor;
    }
    expect(seen).toEqual(['cus_ms0', 'cus_ms1', 'cus_ms2']);
  });

  it('rejects a malformed cursor with INVALID_CURSOR', async () => {
    const res = await execute(crm, `{ customers(after: "not-a-cursor") { nodes { id } } }`);
    expect(codes(res)).toEqual(['INVALID_CURSOR']);
  });

  it('refuses a parent that would make the hierarchy loop, and changes nothing', async () => {
    const res = await execute(crm, `mutation { updateCustomer(id: "cus_a", input: { parentId: "cus_c", name: "Renamed" }) { id } }`);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const row = await t.db.selectFrom('crm.customers').selectAll().where('id', '=', 'cus_a').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Acme Holdings', parent_id: null });
  });

  it('returns NOT_FOUND for an opportunity on an unknown customer and writes nothing', async () => {
    const before = await t.db.selectFrom('crm.opportunities').select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const res = await execute(crm, OPP, { input: oppInput({ customerId: 'cus_missing' }) });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    const after = await t.db.selectFrom('crm.opportunities').select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toEqual(before.n);
  });

  it('rejects money with more decimals than the currency has', async () => {
    const res = await execute(crm, OPP, { input: oppInput({ amount: '10.005' }) });
    expect(codes(res)).toEqual(['INVALID_MONEY']);
  });

  it('records stage history and won time; closed stages are final', async () => {
    const created = await execute(crm, OPP, { input: oppInput() });
    const id = created.data.createOpportunity.id;
    const won = await execute(
      crm,
      `mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON, changedBy: "ana") { stage wonAt stageHistory { stage changedBy } } }`,
      { id },
    );
    expect(won.errors).toBeUndefined();
    expect(won.data.changeOpportunityStage.wonAt).toMatch(/^\d{4}-/);
    expect(won.data.changeOpportunityStage.stageHistory.map((s: { stage: string }) => s.stage)).toEqual(['PROSPECTING', 'CLOSED_WON']);
    const reopen = await execute(crm, `mutation($id: ID!) { changeOpportunityStage(id: $id, stage: PROPOSAL) { stage } }`, { id });
    expect(codes(reopen)).toEqual(['INVALID_STATE_TRANSITION']);
  });

  it('sums the pipeline by stage and currency', async () => {
    const res = await execute(crm, `{ customer(id: "cus_a") { pipeline { stage count amount { amount currency } } } }`);
    expect(res.errors).toBeUndefined();
    const won = res.data.customer.pipeline.find((p: { stage: string }) => p.stage === 'CLOSED_WON');
    expect(won).toEqual({ stage: 'CLOSED_WON', count: 1, amount: { amount: '120000.50', currency: 'USD' } });
  });
});
