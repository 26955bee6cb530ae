import {
  buildClientSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getIntrospectionQuery,
  getNamedType,
  type IntrospectionQuery,
  isNonNullType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_HEADER, signContext } from '../../lib/context-token.ts';
import type { Principal } from '../../lib/principal.ts';
import { seedDemo } from '../../seed/index.ts';
import { SUBGRAPH_FACTORIES, SUBGRAPH_NAMES } from '../../subgraphs/index.ts';
import { harvestPools, type Pool, type Pools } from '../support/arg-pools.ts';
import { type PlantAttempts, plantAcrossCustomers } from '../support/cross-customer-data.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { type ArgSource, argsText, documents, edgeAt, edgesWithData, itemType, print, selectionTree } from '../support/graph-walk.ts';
import { type Leak, leaksIn, ownershipOracle } from '../support/ownership.ts';

// A portal user walks the whole served graph, generated from its schema: every root field, with
// its own ids and with other customers' ids, every field below down to the depth of the lineage
// walk (invoice -> lines -> journal lines -> project), and every entity type straight through each
// subgraph's _entities. No value that belongs to another customer may come back. New types and
// fields are walked as soon as they are in the schema.

/** Deep enough for invoices -> nodes -> lines -> journalLines -> project -> its fields, and one more level. */
const MAX_DEPTH = 7;
/** Fields per document: far below the gateway's token and cost limits. */
const BUDGET = 150;
const CONCURRENCY = 4;
/** Walks again after refusals: each round leaves out what the one before was refused. */
const ROUNDS = 3;
/** Values for required arguments that are not keys of the graph's objects. */
const CONSTANTS: Record<string, string> = { periodCode: '2026-10', from: 'EUR', to: 'USD', currency: 'USD', through: '2026-10-31' };
/** Edges of the lineage walk the portal must get data through, so the walk cannot pass by reaching nothing. */
const LINEAGE = [
  'InvoiceConnection.nodes',
  'Invoice.lines',
  'InvoiceLine.journalLines',
  'JournalLine.project',
  'Invoice.journalEntry',
  'JournalEntry.lines',
  'Invoice.receivable',
  'Invoice.project',
  'Project.timeEntries',
  'InvoiceLine.billableItems',
  'BillableItem.timeEntry',
  'Project.financials',
  'Customer.projects',
  'SyncJobConnection.nodes',
];

let g: TestGraph;
let A = '';
let B = '';
let relatives: string[] = [];
let asA: Record<string, string>;
let oracle: Map<string, string>;
let schema: GraphQLSchema;
let pools: Pools;

beforeAll(async () => {
  g = await startTestGraph(async (d) => {
    await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
  });
  const db = g.database.db;
  // A: a customer with invoices, ledger, receivables, time and jobs, in a group (parent or
  // subsidiaries) whose other members have invoices too; B: one of them, in A's legal entity.
  const pair = (
    await sql<{ a: string; b: string }>`
      select c.id as a, k.id as b from crm.customers c
        join crm.customers k on k.parent_id = c.id or c.parent_id = k.id
        join erp.customer_masters mc on mc.customer_id = c.id
        join erp.customer_masters mk on mk.customer_id = k.id and mk.legal_entity_id = mc.legal_entity_id
       where exists (select 1 from billing.invoices i where i.customer_id = k.id)
         and exists (select 1 from erp.receivables r where r.customer_id = c.id)
         and exists (select 1 from time.time_entries e where e.customer_id = c.id)
         and exists (select 1 from sync.jobs j where j.customer_id = c.id)
       order by (select count(*) from billing.invoices i where i.customer_id = c.id) desc, c.id, k.id limit 1`.execute(db)
  ).rows;
  expect(pair).toHaveLength(1);
  ({ a: A, b: B } = pair[0]!);
  relatives = (
    await sql<{
      id: string;
    }>`select id from crm.customers where (parent_id = ${A} or id = (select parent_id from crm.customers where id = ${A})) order by id`.execute(
      db,
    )
  ).rows.map((r) => r.id);
  // Who owns what, from the demo as written; then the cross-customer data goes in.
  oracle = await ownershipOracle(db);
  attempts = await plantAcrossCustomers(g, A, B);
  const intro = await g.request<IntrospectionQuery>(getIntrospectionQuery());
  schema = buildClientSchema(intro.body.data!);
  pools = await harvestPools(schema, async (q) => (await g.request(q)).body, oracle, A, [B, ...relatives]);
  asA = { authorization: `Bearer ${await g.token({ role: 'portal', customerId: A, sub: 'portal-walker' })}` };
}, 120_000);
afterAll(async () => g?.stop());

let attempts: PlantAttempts;

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const first = (p: Pool | undefined) => p?.own[0] ?? p?.shared[0];

/** The pool of values for a key argument of a field: `Type.arg` of what it returns, or the type an `xxxId` names. */
function poolFor(field: GraphQLField<unknown, unknown>, arg: GraphQLArgument): Pool | undefined {
  const own = itemType(field) ?? getNamedType(field.type);
  return pools.get(`${own.name}.${arg.name}`) ?? (arg.name.endsWith('Id') ? pools.get(`${cap(arg.name.slice(0, -2))}.id`) : undefined);
}

const values: ArgSource = (arg, field) => {
  const v = first(poolFor(field, arg));
  return v ?? CONSTANTS[arg.name];
};

type Variant = { label: string; fixed: Record<string, string>; deep: boolean };

/** A root field with its own keys (walked deep), other customers' keys (looked up), or as a list (and filtered by another customer). */
function variants(field: GraphQLField<unknown, unknown>): Variant[] {
  const key = field.args.find(
    (a) =>
      isNonNullType(a.type) && a.defaultValue === undefined && ['ID', 'String'].includes(getNamedType(a.type).name) && poolFor(field, a),
  );
  if (key) {
    const pool = poolFor(field, key)!;
    const lit = (v: string) => ({ [key.name]: JSON.stringify(v) });
    return [
      ...pool.own.slice(0, 1).map((v) => ({ label: `own ${v}`, fixed: lit(v), deep: true })),
      ...pool.shared.slice(0, 1).map((v) => ({ label: `shared ${v}`, fixed: lit(v), deep: true })),
      ...pool.other.slice(0, 3).map((v) => ({ label: `other ${v}`, fixed: lit(v), deep: false })),
    ];
  }
  const out: Variant[] = [{ label: 'as is', fixed: {}, deep: true }];
  const filter = field.args.find((a) => a.name === 'filter');
  const filterType = filter && getNamedType(filter.type);
  if (filterType && 'getFields' in filterType && 'customerId' in filterType.getFields())
    out.push({ label: `filtered by ${B}`, fixed: { filter: `{ customerId: ${JSON.stringify(B)} }` }, deep: false });
  return out;
}

type Finding = Leak & { where: string };
type Unexpected = { where: string; code: unknown; message: string };

/** Runs `tasks` with at most CONCURRENCY at a time. */
async function pooled(tasks: (() => Promise<void>)[]) {
  const queue = [...tasks];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) await t();
    }),
  );
}

describe('generated portal isolation: the whole served graph, walked as one customer', () => {
  it('the cross-customer line the ERP used to accept is refused, by its API and by the database', () => {
    expect(attempts).toEqual({ api: ['CUSTOMER_MISMATCH'], sql: 'journal_lines_project_same_customer' });
  });

  it('every root field, its own and other customers’ ids, every field down 7 levels: nothing of another customer comes back', async () => {
    const query = schema.getQueryType()!;
    const skip = new Set<string>();
    const leaks: Finding[] = [];
    const unexpected: Unexpected[] = [];
    const covered = new Set<string>();
    let answered = 0;
    /** Sends one document as the portal user; says whether it was refused somewhere below its root. */
    const send = async (doc: string, where: string) => {
      const res = await g.request(doc, {}, asA);
      answered += 1;
      for (const leak of leaksIn(res.body.data, oracle, A)) leaks.push({ ...leak, where });
      let refusedBelow = false;
      for (const e of res.body.errors ?? []) {
        if (e.extensions?.code !== 'FORBIDDEN') unexpected.push({ where, code: e.extensions?.code, message: e.message });
        // A refused field is left out of later documents, so that a non-null refusal does not
        // null out its parent and hide the rest of the walk.
        else if (e.path && e.path.length > 1) {
          skip.add(edgeAt(query, e.path as (string | number)[])!);
          refusedBelow = true;
        }
      }
      edgesWithData(query, res.body.data, covered);
      return { data: res.body.data, refusedBelow };
    };
    type Head = { field: GraphQLField<unknown, unknown>; v: Variant; head: string; where: string };
    const roots = Object.values(query.getFields()).filter((f) => !f.name.startsWith('_'));
    const heads: Head[] = roots.flatMap((field) =>
      variants(field).map((v) => ({
        field,
        v,
        // A required argument nothing can fill is left out: the gateway refuses the document, and
        // the walk fails on it rather than skip a root field nobody could call.
        head: `${field.name}${argsText(field, values, v.fixed) ?? ''}`,
        where: `${field.name} (${v.label})`,
      })),
    );
    expect(heads.length).toBeGreaterThan(20);
    // 1. Every root field with every key, two levels down: other customers' keys are looked up
    //    here, and most refusals are learned cheaply.
    const deep: Head[] = [];
    await pooled(
      heads.map((h) => async () => {
        const target = getNamedType(h.field.type);
        if (!isObjectType(target)) {
          await send(`{ ${h.head} }`, h.where);
          return;
        }
        const shallow = async (where: string) => {
          const [root, ...rest] = documents([h.head], selectionTree(target, { maxDepth: 2, skip, values }), BUDGET);
          const first = await send(root!, where);
          let refused = first.refusedBelow;
          for (const doc of rest) if ((await send(doc, where)).refusedBelow) refused = true;
          return { data: first.data, refused };
        };
        let answer = await shallow(h.where);
        // A refused non-null field nulls its parent, up to the root: ask again without it.
        for (let round = 1; answer.refused && round <= ROUNDS; round++) answer = await shallow(`${h.where} again`);
        if (h.v.deep && answer.data?.[h.field.name] != null) deep.push(h);
      }),
    );
    // 2. The roots that answered, deep, one root after another so that what one root learns is
    //    left out of the next: each edge expanded at most twice over the whole walk. A root refused
    //    below is walked again, the same edges expanded, without what was refused.
    deep.sort((x, y) => roots.indexOf(x.field) - roots.indexOf(y.field) || x.where.localeCompare(y.where));
    const build = (h: Head, expansions: Map<string, number>) => {
      const tree = selectionTree(getNamedType(h.field.type) as GraphQLObjectType, {
        maxDepth: MAX_DEPTH,
        skip,
        values,
        walk: { expansions, max: 2 },
      });
      return documents([h.head], tree, BUDGET);
    };
    const runAll = async (docs: string[], where: string) => {
      let refused = false;
      await pooled(
        docs.map((doc) => async () => {
          if ((await send(doc, where)).refusedBelow) refused = true;
        }),
      );
      return refused;
    };
    const expansions = new Map<string, number>();
    for (const h of deep) {
      const before = new Map(expansions);
      let refused = await runAll(build(h, expansions), h.where);
      for (let round = 1; refused && round <= ROUNDS; round++) refused = await runAll(build(h, new Map(before)), `${h.where} again`);
    }
    expect(leaks, JSON.stringify(leaks.slice(0, 10), null, 1)).toEqual([]);
    expect(unexpected, JSON.stringify(unexpected.slice(0, 10), null, 1)).toEqual([]);
    expect(answered).toBeGreaterThan(100);
    expect(LINEAGE.filter((edge) => !covered.has(edge))).toEqual([]);
    expect(covered.size).toBeGreaterThan(60);
  }, 120_000);

  it('entity lookups of every entity type, straight to each subgraph as the portal: nothing of another customer', async () => {
    const principal: Principal = { sub: 'portal-walker', role: 'portal', customerId: A };
    const leaks: Finding[] = [];
    const unexpected: Unexpected[] = [];
    const ownResolved = new Set<string>();
    const otherTried = new Set<string>();
    const tasks: (() => Promise<void>)[] = [];
    for (const name of SUBGRAPH_NAMES) {
      const sub = SUBGRAPH_FACTORIES[name](g.database.db).schema;
      const union = sub.getType('_Entity');
      expect(isUnionType(union), name).toBe(true);
      const skip = new Set<string>();
      for (const type of sub.getPossibleTypes(union as never)) {
        const pool = pools.get(`${type.name}.id`);
        const own = pool?.own.slice(0, 1) ?? [];
        const ids = [...own, ...(pool?.other.slice(0, 3) ?? []), ...(pool?.shared.slice(0, 1) ?? [])];
        if (ids.length === 0) continue;
        if (pool?.other.length) otherTried.add(`${name}:${type.name}`);
        const reps = ids.map((id) => ({ __typename: type.name, id }));
        const where = `${name} _entities(${type.name})`;
        tasks.push(async () => {
          // Refused fields are left out and the lookup asked again, so one refusal hides nothing else.
          for (let attempt = 0; attempt < 3; attempt++) {
            const tree = selectionTree(type, { maxDepth: 3, skip, values });
            const doc = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${type.name} ${print(tree)} } }`;
            const res = await fetch(g.stack.subgraphs[name].url, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                [CONTEXT_HEADER]: await signContext(g.security.contextKey, principal, 'walk'),
              },
              body: JSON.stringify({ query: doc, variables: { r: reps } }),
            });
            const body = (await res.json()) as { data?: { _entities: (Record<string, unknown> | null)[] }; errors?: any[] };
            const learned = skip.size;
            for (const e of body.errors ?? []) {
              if (e.extensions?.code !== 'FORBIDDEN') unexpected.push({ where, code: e.extensions?.code, message: e.message });
              else if (e.path?.length > 2) skip.add(edgeAt(type, e.path.slice(2))!);
            }
            (body.data?._entities ?? []).forEach((entity, i) => {
              if (entity == null) return;
              // The key echoes what was sent; everything else is what the subgraph gave away.
              const { id, ...rest } = entity;
              for (const leak of leaksIn(id === ids[i] ? rest : entity, oracle, A)) leaks.push({ ...leak, where: `${where} ${ids[i]}` });
              if (i < own.length) ownResolved.add(`${name}:${type.name}`);
            });
            if (skip.size === learned) break;
          }
        });
      }
    }
    await pooled(tasks);
    expect(leaks, JSON.stringify(leaks.slice(0, 10), null, 1)).toEqual([]);
    expect(unexpected, JSON.stringify(unexpected.slice(0, 10), null, 1)).toEqual([]);
    // The lookups did reach data: the portal's own objects resolve in every subgraph, and other
    // customers' objects were tried in every subgraph.
    for (const name of SUBGRAPH_NAMES) {
      expect(
        [...ownResolved].some((k) => k.startsWith(`${name}:`)),
        `${name}: own entities resolved`,
      ).toBe(true);
      expect(
        [...otherTried].some((k) => k.startsWith(`${name}:`)),
        `${name}: other customers' entities tried`,
      ).toBe(true);
    }
  }, 60_000);
});
