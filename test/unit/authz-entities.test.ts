import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { authorize } from '../../lib/authz.ts';
import type { Principal } from '../../lib/principal.ts';

// A subgraph whose reference resolver is async, as every DataLoader-backed one is: the row rules
// must judge the rows it resolves to, not the promises it returns.
const SDL = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { ping: Boolean }
  type Project @key(fields: "id") { id: ID! code: String! }
`);

type Row = { id: string; customer_id: string; code: string };
const ROWS: Record<string, Row> = {
  prj_a: { id: 'prj_a', customer_id: 'cus_a', code: 'A-1' },
  prj_b: { id: 'prj_b', customer_id: 'cus_b', code: 'B-1' },
};

function schema() {
  return authorize(
    buildSubgraphSchema({
      typeDefs: SDL,
      resolvers: {
        Project: {
          __resolveReference: async (ref: { id: string }) => {
            await new Promise((r) => setTimeout(r, 1));
            if (ref.id === 'prj_boom') throw new Error('lookup failed');
            return ROWS[ref.id] ?? null;
          },
        },
      } as never,
    }),
    { portal: { queries: {}, owners: { Project: (r: Row) => r.customer_id } } },
  );
}

const PORTAL_A: Principal = { sub: 'portal-a', role: 'portal', customerId: 'cus_a' };
const ANALYST: Principal = { sub: 'analyst', role: 'analyst', customerId: null };
const LOOKUP = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { id code } } }`;
const reps = (...ids: string[]) => ids.map((id) => ({ __typename: 'Project', id }));

const run = (viewer: Principal, ids: string[]) =>
  graphql({ schema: schema(), source: LOOKUP, variableValues: { r: reps(...ids) }, contextValue: { viewer } });

describe('entity lookups with an async reference resolver', () => {
  it('give null for another customer’s row and keep the portal’s own', async () => {
    // The other customer's project exists: the firm sees it.
    const firm = await run(ANALYST, ['prj_a', 'prj_b']);
    expect(firm.errors).toBeUndefined();
    expect(firm.data?._entities).toEqual([
      { id: 'prj_a', code: 'A-1' },
      { id: 'prj_b', code: 'B-1' },
    ]);
    const res = await run(PORTAL_A, ['prj_a', 'prj_b', 'prj_none']);
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([{ id: 'prj_a', code: 'A-1' }, null, null]);
  });

  it('leave a failed lookup an error at its own position only', async () => {
    const res = await run(PORTAL_A, ['prj_b', 'prj_boom', 'prj_a']);
    expect(res.data?._entities).toEqual([null, null, { id: 'prj_a', code: 'A-1' }]);
    expect(res.errors?.map((e) => [e.message, e.path])).toEqual([['lookup failed', ['_entities', 1]]]);
  });
});
