import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
} from 'graphql';
import { appError } from './errors.ts';
import { type Principal, type Role, requireRole } from './principal.ts';

/**
 * What a portal user (one customer) may reach in a subgraph. Deny by default: root fields not listed
 * are FORBIDDEN; objects whose owner is another customer are removed wherever they appear (lists,
 * connections, nested fields, entity lookups); on types outside its world only the listed fields
 * answer, the others are FORBIDDEN.
 */
export type PortalPolicy = {
  /** Root query fields a portal may call, with its arguments pinned to its customer. */
  queries: Record<string, (args: Record<string, any>, customerId: string) => Record<string, any>>;
  /** The customer that owns an object of a type; undefined when the object does not say (trust the path that led to it). */
  owners: Record<string, (row: any) => string | null | undefined>;
  /** Types outside the portal's world, with the only fields it may read on them. */
  restricted?: Record<string, readonly string[]>;
};

export type AuthzPolicy = {
  portal: PortalPolicy;
  /** Root fields (Query or Mutation) limited to some roles; every Mutation needs operator or admin unless listed. */
  roles?: Record<string, readonly Role[]>;
};

const WRITERS: readonly Role[] = ['operator', 'admin'];

/** Pins a list's `filter.customerId` to the portal's customer. */
export const pinFilterCustomer = (args: Record<string, any>, customerId: string) => ({
  ...args,
  filter: { ...(args.filter ?? {}), customerId },
});
/** Pins a `customerId` argument to the portal's customer. */
export const pinCustomerArg = (args: Record<string, any>, customerId: string) => ({ ...args, customerId });
/** Leaves the arguments as they are (the result is checked by owner). */
export const asIs = (args: Record<string, any>) => args;

function ownerOf(policy: PortalPolicy, typeName: string, row: unknown): string | null | undefined {
  const f = Object.hasOwn(policy.owners, typeName) ? policy.owners[typeName] : undefined;
  return f && row && typeof row === 'object' ? f(row) : undefined;
}

/** Null for an object of another customer; lists and connections lose such items. */
function keepOwn(policy: PortalPolicy, typeName: string, value: unknown, customerId: string): unknown {
  if (value == null) return value;
  if (Array.isArray(value)) return value.filter((v) => keepOwn(policy, typeName, v, customerId) != null);
  const owner = ownerOf(policy, typeName, value);
  if (owner !== undefined && owner !== customerId) return null;
  return value;
}

/**
 * Wraps every resolver of a subgraph schema with authentication, role and row rules. Enforced in the
 * subgraph, where the data lives, so no path through the graph (nested field, entity lookup,
 * aggregate) can go around it.
 */
export function authorize(schema: GraphQLSchema, policy: AuthzPolicy): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const original: GraphQLFieldResolver<any, any> = field.resolve ?? defaultFieldResolver;
      const returnType = getNamedType(field.type);
      const isRoot = type === query || type === mutation;
      const key = `${type.name}.${field.name}`;
      if (field.name === '_service' && type === query) continue;
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
      const portalResolve = async (
        parent: unknown,
        args: Record<string, any>,
        ctx: unknown,
        info: Parameters<GraphQLFieldResolver<any, any>>[3],
        cid: string,
      ) => {
        if (isRoot && type === query && field.name === '_entities') {
          // Apollo's resolver answers one entry per representation, a row or (async __resolveReference)
          // the promise of one: judge each entry once it resolved, and leave a failed lookup an error
          // at its own position, as graphql-js reports a rejected list item.
          const result = (await original(parent, args, ctx, info)) as unknown[];
          const reps = args.representations as { __typename: string }[];
          return result.map((entry, i) => Promise.resolve(entry).then((row) => keepOwn(policy.portal, reps[i]?.__typename, row, cid)));
        }
        if (isRoot) {
          const pin = policy.portal.queries[field.name];
          if (!pin) throw appError('FORBIDDEN', `${field.name} is not available to portal users`);
          args = pin(args, cid);
        } else {
          const allowed = policy.portal.restricted?.[type.name];
          if (allowed && !allowed.includes(field.name))
            throw appError('FORBIDDEN', `${type.name}.${field.name} is not available to portal users`);
        }
        const result = await original(parent, args, ctx, info);
        if (result && typeof result === 'object' && 'nodes' in result && 'edges' in result) {
          // A connection: its items are checked; the list itself was pinned to the customer at the root.
          const node = (returnType as GraphQLObjectType).getFields().nodes;
          const itemType = node ? getNamedType(node.type).name : '';
          const c = result as { nodes: unknown[]; edges: { node: unknown }[] };
          return {
            ...c,
            nodes: keepOwn(policy.portal, itemType, c.nodes, cid),
            edges: c.edges.filter((e) => keepOwn(policy.portal, itemType, e.node, cid) != null),
          };
        }
        return keepOwn(policy.portal, returnType.name, result, cid);
      };
    }
  }
  return schema;
}
