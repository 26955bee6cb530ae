import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { authorize } from '../../lib/authz.ts';
import type { Principal } from '../../lib/principal.ts';

// A portal user's own journal line may sit in an entry it may not see (the entry also books another
// customer). `entry` is non-null, so the row rule cannot answer null there: it must refuse.
const SDL = parse(`
  type Query { line(id: ID!): Line }
  type Line { id: ID! entry: Entry! }
  type Entry { id: ID! memo: String }
`);
type Row = { id: string; customer_id: string };

const schema = authorize(
  buildSubgraphSchema({
    typeDefs: SDL,
    resolvers: {
      Query: { line: (_: unknown, a: { id: string }) => ({ id: a.id, customer_id: 'cus_a', entry_id: `je_${a.id}` }) },
      Line: { entry: async (l: { entry_id: string }) => ({ id: l.entry_id, customer_id: l.entry_id === 'je_mixed' ? 'cus_b' : 'cus_a' }) },
    } as never,
  }),
  {
    portal: {
      queries: { line: (args) => args },
      owners: { Line: (r: Row) => r.customer_id, Entry: (r: Row) => r.customer_id },
    },
  },
);

const PORTAL_A: Principal = { sub: 'portal-a', role: 'portal', customerId: 'cus_a' };

describe('an object of another customer in a non-null field', () => {
  it('is refused with FORBIDDEN (not a server fault), and an own one answers', async () => {
    const run = (id: string) =>
      graphql({
        schema,
        source: `query($id: ID!) { line(id: $id) { id entry { id memo } } }`,
        variableValues: { id },
        contextValue: { viewer: PORTAL_A },
      });
    const own = await run('own');
    expect(own.errors).toBeUndefined();
    expect(own.data?.line).toEqual({ id: 'own', entry: { id: 'je_own', memo: null } });
    const mixed = await run('mixed');
    expect(mixed.data?.line).toBeNull();
    expect(mixed.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['line', 'entry']]]);
    expect(JSON.stringify(mixed)).not.toContain('je_mixed');
  });
});
