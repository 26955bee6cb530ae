import { type GraphQLObjectType, type GraphQLSchema, getNamedType, isInputObjectType, isNonNullType } from 'graphql';
import { documents, itemType, type SelectionNode, selectionTree } from './graph-walk.ts';

/** Values of one key field of one type: the portal customer's own, other customers' (by customer), and nobody's. */
export type Pool = { own: string[]; other: string[]; shared: string[] };
/** Pools by `Type.field` (`Invoice.id`, `SyncEvent.sequence`). */
export type Pools = Map<string, Pool>;

type Ask = (query: string) => Promise<{ data?: Record<string, unknown> | null; errors?: { message: string }[] }>;

/** Fields named like a required ID or String argument of a root field: what lookups are keyed by. */
export function keyNames(schema: GraphQLSchema): Set<string> {
  const names = new Set(['id']);
  for (const f of Object.values(schema.getQueryType()!.getFields()))
    for (const a of f.args) if (isNonNullType(a.type) && ['ID', 'String'].includes(getNamedType(a.type).name)) names.add(a.name);
  return names;
}

/**
 * Harvests key values as an admin from every root list of the graph (its items and the objects
 * they hold), and classes each by the customer that owns its object (the object's own id, else
 * the first of its child objects' ids the oracle knows). Fails on any error: a walk without keys
 * would look up nothing. `preferred` customers come first among the
 * others (the portal's relatives: the hierarchy is where a leak is likeliest).
 */
export async function harvestPools(
  schema: GraphQLSchema,
  ask: Ask,
  oracle: ReadonlyMap<string, string>,
  customer: string,
  preferred: readonly string[],
): Promise<Pools> {
  const keys = keyNames(schema);
  const found = new Map<string, { own: Set<string>; other: Map<string, Set<string>>; shared: Set<string> }>();
  const add = (type: string, field: string, value: unknown, owner: string | undefined) => {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const key = `${type}.${field}`;
    const p = found.get(key) ?? { own: new Set<string>(), other: new Map<string, Set<string>>(), shared: new Set<string>() };
    found.set(key, p);
    const v = String(value);
    if (owner === customer) p.own.add(v);
    else if (owner === undefined) p.shared.add(v);
    else p.other.set(owner, (p.other.get(owner) ?? new Set()).add(v));
  };
  const walk = (node: SelectionNode, value: unknown) => {
    if (Array.isArray(value)) {
      for (const v of value) walk(node, v);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const obj = value as Record<string, unknown>;
    const childIds = node.children.map((c) => (obj[c.name] as { id?: string } | null)?.id);
    const owner = [obj.id, ...childIds].map((v) => (typeof v === 'string' ? oracle.get(v) : undefined)).find((o) => o !== undefined);
    for (const leaf of node.leaves) add(node.type.name, leaf, obj[leaf], owner);
    for (const c of node.children) walk(c.node, obj[c.name]);
  };
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    if (field.name.startsWith('_') || field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    if (!itemType(field)) continue;
    const tree = selectionTree(getNamedType(field.type) as GraphQLObjectType, {
      maxDepth: 3,
      skip: new Set(),
      values: () => undefined,
      leaf: (_, name) => keys.has(name),
    });
    const first = field.args.some((a) => a.name === 'first') ? ['first: 50'] : [];
    const filter = field.args.find((a) => a.name === 'filter');
    const filterType = filter && getNamedType(filter.type);
    const byCustomer = filterType && isInputObjectType(filterType) && filterType.getFields().customerId;
    for (const extra of byCustomer ? [[], [`filter: { customerId: ${JSON.stringify(customer)} }`]] : [[]]) {
      const args = [...first, ...extra];
      // Small documents: a page of 50 items times the depth factor of the gateway's cost limit.
      for (const doc of documents([`${field.name}${args.length ? `(${args.join(', ')})` : ''}`], tree, 25)) {
        const res = await ask(doc);
        if (res.errors?.length) throw new Error(`Harvesting keys failed: ${doc}\n${JSON.stringify(res.errors)}`);
        walk(tree, res.data?.[field.name]);
      }
    }
  }
  const pools: Pools = new Map();
  for (const [key, p] of found) {
    const owners = [...preferred.filter((o) => p.other.has(o)), ...[...p.other.keys()].filter((o) => !preferred.includes(o)).sort()];
    // One value of each other customer first, so a few lookups try several customers.
    const lists = owners.map((o) => [...p.other.get(o)!]);
    const other: string[] = [];
    for (let i = 0; other.length < lists.reduce((s, l) => s + l.length, 0); i++)
      for (const l of lists) if (l[i] !== undefined) other.push(l[i]!);
    pools.set(key, { own: [...p.own], other, shared: [...p.shared] });
  }
  return pools;
}
