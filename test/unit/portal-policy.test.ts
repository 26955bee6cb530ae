import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { portalPolicyProblems } from '../../lib/authz-check.ts';
import { asIs, type PortalPolicy, pinFilterCustomer } from '../../lib/authz-policy.ts';
import { SUBGRAPH_FACTORIES, SUBGRAPH_NAMES, SYSTEMS } from '../../subgraphs/index.ts';

const POLICIES = Object.fromEntries(SYSTEMS.map((s) => [s.name, s.policy]));
// The factories only keep the database for their context; building a schema touches nothing.
const NO_DB = {} as Kysely<any>;

describe('portal row rules are decided for every type a portal user can reach', () => {
  it.each(SUBGRAPH_NAMES)('%s: every reachable object type is owned, a part, a reference or restricted', (name) => {
    const { schema } = SUBGRAPH_FACTORIES[name](NO_DB);
    expect(portalPolicyProblems(schema, POLICIES[name].portal)).toEqual([]);
  });

  it('the check reports an undecided type, a part reached without a judged owner, and a reference leading to unowned data', () => {
    const schema = buildSubgraphSchema({
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { invoice(id: ID!): Invoice  totals: Money  invoices: [Invoice!]! }
        type Invoice @key(fields: "id") { id: ID! total: Money! notes: Note }
        type Note { text: String! }
        type Money { amount: String! }
        type Project @key(fields: "id") { id: ID! budget: Money }
      `),
    });
    const policy: PortalPolicy = {
      queries: { invoice: asIs, totals: asIs, invoices: pinFilterCustomer, nope: asIs },
      owners: { Invoice: (r: { customer_id: string }) => r.customer_id },
      parts: ['Money'],
      references: ['Project'],
      restricted: { Ghost: ['id'] },
    };
    expect(portalPolicyProblems(schema, policy).sort()).toEqual(
      [
        'Ghost is in the policy but is not an object type of the schema',
        'queries.nope is not a root field of the schema',
        'Money is a part but is reached by Query.totals (open root), where no owner was judged',
        'Note (reached by Invoice.notes) has no owner rule and is not declared a part, a reference or restricted',
        'Project is a reference but Project.budget returns Money, which has no owner rule',
        'Money is a part but is reached by Project.budget (reference), where no owner was judged',
      ].sort(),
    );
  });
});
