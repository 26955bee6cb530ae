import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { type AuthzPolicy, callOwnerRule, NO_DATA, type PortalPolicy, portalKind } from './authz-policy.ts';
import { appError } from './errors.ts';
import { type Principal, type Role, requireRole } from './principal.ts';

export {
  type AuthzPolicy,
  asIs,
  NO_DATA,
  type Owner,
  type OwnerRule,
  type PortalPolicy,
  pinCustomerArg,
  pinFilterCustomer,
} from './authz-policy.ts';

const WRITERS: readonly Role[] = ['operator', 'admin'];
type Info = Parameters<GraphQLFieldResolver<unknown, unknown>>[3];

/** The value itself when the portal's customer owns it (or the subgraph holds nothing about it), else null. */
async function ownOrNull(policy: PortalPolicy, typeName: string, value: unknown, ctx: unknown, cid: string): Promise<unknown> {
  const row = await value;
  if (row == null || typeof row !== 'object') return row;
  const owner = await callOwnerRule(policy.owners[typeName]!, row, ctx);
  // Anything else, an owner rule that could not tell (undefined) included, is another customer's.
  return owner === cid || owner === NO_DATA ? row : null;
}

/** Null for an object of another customer; a list loses such items. Types without an owner rule pass as they are. */
async function keepOwn(policy: PortalPolicy, typeName: string, value: unknown, ctx: unknown, cid: string): Promise<unknown> {
  if (value == null || !Object.hasOwn(policy.owners, typeName)) return value;
  if (Array.isArray(value)) {
    const kept = await Promise.all(value.map((v) => ownOrNull(policy, typeName, v, ctx, cid)));
    return kept.filter((v) => v != null);
  }
  return ownOrNull(policy, typeName, value, ctx, cid);
}

type Connection = { nodes: unknown[]; edges: { node: unknown }[] };
const isConnection = (v: unknown): v is Connection => !!v && typeof v === 'object' && 'nodes' in v && 'edges' in v;

/** A connection keeps the nodes and edges the portal owns; its list was pinned to the customer at the root. */
async function keepOwnItems(policy: PortalPolicy, type: GraphQLNamedType, c: Connection, ctx: unknown, cid: string) {
  const node = isObjectType(type) ? type.getFields().nodes : undefined;
  const itemType = node ? getNamedType(node.type).name : '';
  const [nodes, edgeNodes] = await Promise.all([
    keepOwn(policy, itemType, c.nodes, ctx, cid),
    Promise.all(c.edges.map((e) => ownOrNullIfOwned(policy, itemType, e.node, ctx, cid))),
  ]);
  return { ...c, nodes, edges: c.edges.filter((_, i) => edgeNodes[i] != null) };
}

const ownOrNullIfOwned = (policy: PortalPolicy, typeName: string, value: unknown, ctx: unknown, cid: string) =>
  Object.hasOwn(policy.owners, typeName) ? ownOrNull(policy, typeName, value, ctx, cid) : value;

/**
 * `_entities` for a portal user, position by position as Apollo's own resolver answers: an entry may
 * be a row or the promise of one (an async `__resolveReference`), so each is awaited on its own; a
 * lookup that failed stays an error at its position only; another customer's object becomes null.
 * Types the policy does not let a portal reach by reference answer FORBIDDEN at their position.
 */
function guardEntities(policy: PortalPolicy, entries: unknown[], representations: { __typename?: string }[], ctx: unknown, cid: string) {
  return entries.map((entry, i) => {
    const typeName = representations[i]?.__typename ?? '';
    const kind = portalKind(policy, typeName);
    if (kind === 'owned') return Promise.resolve(entry).then((row) => ownOrNull(policy, typeName, row, ctx, cid));
    if (kind === 'reference' || kind === 'restricted') return entry;
    // graphql-js reports an Error value in a list as that item's error.
    return appError('FORBIDDEN', `${typeName} is not available to portal users by reference`);
  });
}

/**
 * Wraps every resolver of a subgraph schema with authentication, role and row rules. Enforced in the
 * subgraph, where the data lives, so no path through the graph (nested field, entity lookup,
 * aggregate) can go around it. Portal users are denied by default: see PortalPolicy.
 */
export function authorize(schema: GraphQLSchema, policy: AuthzPolicy): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const subscription = schema.getSubscriptionType();
  const portal = policy.portal;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const isRoot = type === query || type === mutation || type === subscription;
    for (const field of Object.values(type.getFields())) {
      const original: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      const returnType = getNamedType(field.type);
      const key = `${type.name}.${field.name}`;
      if (field.name === '_service' && type === query) continue;
      const portalResolve = async (parent: unknown, args: Record<string, unknown>, ctx: unknown, info: Info, cid: string) => {
        if (type === query && field.name === '_entities') {
          const entries = (await original(parent, args, ctx, info)) as unknown[];
          return guardEntities(portal, entries, args.representations as { __typename?: string }[], ctx, cid);
        }
        if (isRoot) {
          const pin = Object.hasOwn(portal.queries, field.name) ? portal.queries[field.name] : undefined;
          if (!pin) throw appError('FORBIDDEN', `${field.name} is not available to portal users`);
          args = pin(args, cid);
        } else {
          const kind = portalKind(portal, type.name);
          if (!kind) throw appError('FORBIDDEN', `${type.name} is not available to portal users`);
          if (kind === 'restricted' && !portal.restricted![type.name]!.includes(field.name))
            throw appError('FORBIDDEN', `${type.name}.${field.name} is not available to portal users`);
        }
        const result = await original(parent, args, ctx, info);
        if (isConnection(result)) return keepOwnItems(portal, returnType, result, ctx, cid);
        const kept = await keepOwn(portal, returnType.name, result, ctx, cid);
        // A non-null field cannot answer null: an object of another customer there (a journal line
        // of its own in an entry shared with another) is refused, not reported as a server fault.
        if (kept == null && result != null && isNonNullType(field.type))
          throw appError('FORBIDDEN', `This ${returnType.name} is not available to portal users`);
        return kept;
      };
      // Synchronous for the firm's roles: this wraps every field, scalars included, and a promise per
      // field costs real time on large BI answers. Only portal callers take the checking path.
      field.resolve = (parent, args, ctx, info) => {
        const viewer = (ctx as { viewer?: Principal }).viewer;
        if (!viewer) throw appError('UNAUTHENTICATED', 'Authentication required');
        const roles = policy.roles?.[key] ?? (type === mutation ? WRITERS : undefined);
        if (roles) requireRole(viewer, roles, `use ${field.name}`);
        if (viewer.role !== 'portal') return original(parent, args, ctx, info);
        return portalResolve(parent, args, ctx, info, viewer.customerId!);
      };
    }
  }
  return schema;
}
