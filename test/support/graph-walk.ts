import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';

/**
 * Builds operations from a schema alone, so new types and fields are walked without anyone editing
 * the walker: a selection tree per root field (every leaf field, every object field expanded once
 * per tree, breadth first, down to a depth), cut into documents small enough for the gateway's
 * limits, with arguments made up from their types and names.
 */

type AnyField = GraphQLField<unknown, unknown>;

/** Values for required arguments: a string for an ID or String argument by its name (and the field's type), or undefined. */
export type ArgSource = (arg: GraphQLArgument, field: AnyField) => string | undefined;

/** A page is two items: enough to walk into lists, few enough to keep answers small. */
const PAGE = 2;

function literal(type: GraphQLInputType, arg: { name: string }, values: ArgSource, field: AnyField): string | undefined {
  const t = getNullableType(type);
  if (isListType(t)) {
    const item = literal(t.ofType, arg, values, field);
    return item === undefined ? undefined : `[${item}]`;
  }
  if (isEnumType(t)) return t.getValues()[0]?.name;
  if (isInputObjectType(t)) {
    const parts: string[] = [];
    for (const f of Object.values(t.getFields())) {
      if (!isNonNullType(f.type) || f.defaultValue !== undefined) continue;
      const v = literal(f.type, f, values, field);
      if (v === undefined) return undefined;
      parts.push(`${f.name}: ${v}`);
    }
    return `{ ${parts.join(', ')} }`;
  }
  switch ((t as GraphQLNamedType).name) {
    case 'Int':
      return String(arg.name === 'first' || arg.name === 'last' ? PAGE : 1);
    case 'Float':
      return '1';
    case 'Boolean':
      return 'false';
    case 'Date':
      return '"2026-10-31"';
    case 'DateTime':
      return '"2026-10-31T00:00:00Z"';
    default: {
      const v = values(arg as GraphQLArgument, field);
      return v === undefined ? undefined : JSON.stringify(v);
    }
  }
}

/**
 * `(a: 1, b: "x")` for the required arguments and a small `first`; `fixed` gives arguments as GraphQL
 * literals. Undefined when a required argument has no value.
 */
export function argsText(field: AnyField, values: ArgSource, fixed: Record<string, string> = {}): string | undefined {
  const parts: string[] = [];
  for (const arg of field.args) {
    if (Object.hasOwn(fixed, arg.name)) parts.push(`${arg.name}: ${fixed[arg.name]}`);
    else if (isNonNullType(arg.type) && arg.defaultValue === undefined) {
      const v = literal(arg.type, arg, values, field);
      if (v === undefined) return undefined;
      parts.push(`${arg.name}: ${v}`);
    } else if (arg.name === 'first' && getNamedType(arg.type).name === 'Int') parts.push(`first: ${PAGE}`);
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}

export type SelectionNode = {
  type: GraphQLObjectType;
  leaves: string[];
  children: { name: string; head: string; node: SelectionNode }[];
};

/**
 * Every leaf of `type` and its object fields, breadth first, each `Type.field` edge expanded once in
 * the tree, down to `maxDepth` levels (the root field is level 1). `skip` holds `Type.field` pairs
 * not to select (learned refusals).
 */
export function selectionTree(
  type: GraphQLObjectType,
  opts: {
    maxDepth: number;
    skip: ReadonlySet<string>;
    values: ArgSource;
    /** Which leaves to select (all by default). */
    leaf?: (type: GraphQLObjectType, field: string) => boolean;
    /**
     * Expansions of each `Type.field` edge so far, shared by the trees of one walk, and how many a
     * walk allows: every edge is still reached, but the data below a list is not fetched again
     * under every root that leads to it.
     */
    walk?: { expansions: Map<string, number>; max: number };
  },
): SelectionNode {
  const root: SelectionNode = { type, leaves: [], children: [] };
  const expanded = new Set<string>();
  const queue: { node: SelectionNode; depth: number }[] = [{ node: root, depth: 1 }];
  for (let item = queue.shift(); item; item = queue.shift()) {
    const { node, depth } = item;
    for (const field of Object.values(node.type.getFields())) {
      const edge = `${node.type.name}.${field.name}`;
      if (opts.skip.has(edge) || field.name.startsWith('_')) continue;
      const args = argsText(field, opts.values);
      if (args === undefined) continue;
      const target = getNamedType(field.type);
      if (isLeafType(target)) {
        if (!opts.leaf || opts.leaf(node.type, field.name)) node.leaves.push(`${field.name}${args}`);
      } else if (isObjectType(target) && depth < opts.maxDepth && !expanded.has(edge)) {
        const used = opts.walk?.expansions.get(edge) ?? 0;
        if (opts.walk && used >= opts.walk.max) continue;
        opts.walk?.expansions.set(edge, used + 1);
        expanded.add(edge);
        const child: SelectionNode = { type: target, leaves: [], children: [] };
        node.children.push({ name: field.name, head: `${field.name}${args}`, node: child });
        queue.push({ node: child, depth: depth + 1 });
      }
    }
  }
  return root;
}

export const treeSize = (n: SelectionNode): number => n.leaves.length + n.children.reduce((s, c) => s + 1 + treeSize(c.node), 0);

export function print(n: SelectionNode): string {
  const parts = [...n.leaves, ...n.children.map((c) => `${c.head} ${print(c.node)}`)];
  return `{ ${parts.length ? parts.join(' ') : '__typename'} }`;
}

/** A document selecting `body` at the end of `prefix` (printed field heads, outermost first). */
function wrap(prefix: readonly string[], body: string): string {
  let doc = body;
  for (let i = prefix.length - 1; i >= 0; i--) doc = `{ __typename ${prefix[i]} ${doc} }`;
  return doc;
}

/**
 * Cuts a tree under `prefix` into documents of at most about `budget` selected fields: a subtree
 * that is too big gets one document for its own leaves and one (or more) per child.
 */
export function documents(prefix: readonly string[], node: SelectionNode, budget: number): string[] {
  if (treeSize(node) <= budget) return [wrap(prefix, print(node))];
  const out = [wrap(prefix, print({ ...node, children: [] }))];
  for (const c of node.children) out.push(...documents([...prefix, c.head], c.node, budget));
  return out;
}

/** The `Type.field` a response path (no aliases; list indices skipped) ends at. */
export function edgeAt(root: GraphQLObjectType, path: readonly (string | number)[]): string | undefined {
  let type: GraphQLObjectType = root;
  let edge: string | undefined;
  for (const step of path) {
    if (typeof step === 'number') continue;
    const field = type.getFields()[step];
    if (!field) return undefined;
    edge = `${type.name}.${step}`;
    const next = getNamedType(field.type);
    if (isObjectType(next)) type = next;
  }
  return edge;
}

/**
 * The `Type.field` edges along which an answer carries a non-null object, for coverage: `data` is
 * the answer of a document built for `root`.
 */
export function edgesWithData(root: GraphQLObjectType, data: unknown, out = new Set<string>()): Set<string> {
  const visit = (type: GraphQLObjectType, value: unknown) => {
    if (Array.isArray(value)) {
      for (const v of value) visit(type, v);
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      const field = type.getFields()[k];
      const next = field && getNamedType(field.type);
      if (!next || !isObjectType(next) || v == null || (Array.isArray(v) && v.length === 0)) continue;
      out.add(`${type.name}.${k}`);
      visit(next, v);
    }
  };
  visit(root, data);
  return out;
}

/** The item type of a list or connection field (`nodes`), or its own object type. */
export function itemType(field: AnyField): GraphQLObjectType | undefined {
  const t = getNamedType(field.type);
  if (!isObjectType(t)) return undefined;
  const nodes = t.getFields().nodes;
  const item = nodes ? getNamedType(nodes.type) : t;
  return isObjectType(item) ? item : undefined;
}
