import type { Role } from './principal.ts';

/**
 * What an owner rule answers for one object: the customer it belongs to; `null` when it belongs to
 * no customer a portal user could be (hidden from every portal user); or `NO_DATA` when this
 * subgraph holds nothing about it. NO_DATA is for entities owned elsewhere that a subgraph only adds
 * fields to: without its own record of the entity (time's project list, billing's rule, the erp's
 * project register) it has no rows about it either (database constraints keep the two together), so
 * every field it adds is empty and the reference may pass; the owning subgraph judges the entity.
 */
export const NO_DATA: unique symbol = Symbol('no data in this subgraph');
export type Owner = string | null | typeof NO_DATA;

/**
 * Who owns an object, from what the resolvers really return: a row (snake_case columns) or a
 * `{ id }` reference. May load (through the request's DataLoaders) what the value does not carry;
 * it runs for portal callers only, so the firm's roles pay nothing for it.
 */
export type OwnerRule = (value: never, ctx: never) => Owner | undefined | Promise<Owner | undefined>;

/**
 * How the policy calls a rule: with the value of the type it is registered for and the subgraph's
 * context. Rules declare their own parameter types (the `never` above accepts any), and only the
 * type name ties a value to its rule, which the compiler cannot follow; this is that one step.
 */
export const callOwnerRule = (rule: OwnerRule, value: object, ctx: unknown) =>
  (rule as (value: object, ctx: unknown) => ReturnType<OwnerRule>)(value, ctx);

export type Args = Record<string, unknown>;
/** Rewrites a root field's arguments so that it can only answer about the portal's customer. */
export type Pin = (args: Args, customerId: string) => Args;

/**
 * What a portal user (one customer) may reach in a subgraph. Deny by default: a root field not in
 * `queries`, and every field of a type in none of the lists below, answers FORBIDDEN.
 */
export type PortalPolicy = {
  /** Root query fields a portal may call, with its arguments pinned to its customer (`asIs`: the answer is judged by owner). */
  queries: Record<string, Pin>;
  /** Customer data: the owner of each object, wherever it appears (lists, connections, nested fields, entity lookups). */
  owners: Record<string, OwnerRule>;
  /**
   * Parts of something already judged: values and children of an owned object (Money, budgets,
   * pages, an invoice's payments) or the answer of a root field pinned to the customer. Only
   * reachable that way, which `portalPolicyProblems` checks.
   */
  parts?: readonly string[];
  /**
   * Entities owned elsewhere to which this subgraph adds only fields returning owned types: the
   * reference carries nothing, and each value it leads to is judged by its own type's owner rule.
   */
  references?: readonly string[];
  /** Not customer data (shared reference data, people, keys of entities owned elsewhere), with the only fields a portal may read. */
  restricted?: Record<string, readonly string[]>;
};

export type AuthzPolicy = {
  portal: PortalPolicy;
  /** Root fields (Query or Mutation) limited to some roles; every Mutation needs operator or admin unless listed. */
  roles?: Record<string, readonly Role[]>;
};

export type PortalKind = 'owned' | 'part' | 'reference' | 'restricted';

/** How the policy treats a type for portal users; undefined: not at all (FORBIDDEN). */
export function portalKind(policy: PortalPolicy, typeName: string): PortalKind | undefined {
  if (Object.hasOwn(policy.owners, typeName)) return 'owned';
  if (policy.parts?.includes(typeName)) return 'part';
  if (policy.references?.includes(typeName)) return 'reference';
  if (policy.restricted && Object.hasOwn(policy.restricted, typeName)) return 'restricted';
  return undefined;
}

/** Pins a list's `filter.customerId` to the portal's customer. */
export const pinFilterCustomer: Pin = (args, customerId) => ({ ...args, filter: { ...(args.filter ?? {}), customerId } });
/** Pins a `customerId` argument to the portal's customer. */
export const pinCustomerArg: Pin = (args, customerId) => ({ ...args, customerId });
/** Leaves the arguments as they are: the answer must be an owned (or shared) type, judged by its owner rule. */
export const asIs: Pin = (args) => args;
