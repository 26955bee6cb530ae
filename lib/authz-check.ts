import {
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isObjectType,
} from 'graphql';
import { asIs, type PortalKind, type PortalPolicy, portalKind } from './authz-policy.ts';

/** How a type was reached: from which kind of parent, and the path that got there (for the message). */
type From = PortalKind | 'pinned root' | 'open root' | 'entity lookup';
type Visit = { type: GraphQLObjectType; from: From; path: string };

/** A part is only safe where its parent was judged: an owned object or a root pinned to the customer. */
const JUDGED_PARENTS: ReadonlySet<From> = new Set<From>(['owned', 'part', 'pinned root']);

function objectTypes(schema: GraphQLSchema, type: GraphQLNamedType): GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  if (isAbstractType(type)) return [...schema.getPossibleTypes(type)];
  return [];
}

/** Key fields of an entity: what a reference may carry besides fields that lead to owned objects. */
function keyFields(type: GraphQLObjectType): Set<string> {
  const keys = new Set<string>();
  for (const d of type.astNode?.directives ?? []) {
    if (d.name.value !== 'key') continue;
    const fields = d.arguments?.find((a) => a.name.value === 'fields')?.value;
    if (fields?.kind === 'StringValue') for (const f of fields.value.split(/\s+/)) if (f) keys.add(f);
  }
  return keys;
}

/**
 * Walks a subgraph schema the way a portal user can (the root fields its policy allows, and entity
 * lookups of every entity type), and lists what the policy leaves undecided or unsafe:
 * - a reachable object type that is neither owned, a part, a reference nor restricted (it would
 *   answer FORBIDDEN: decide, do not leave it to chance);
 * - a part reached other than through an owned object or a root field pinned to the customer;
 * - an `asIs` root field or an entity lookup that answers a part (nobody judged it);
 * - a reference with a field that does not lead to an owned type;
 * - names in the policy that are not in the schema.
 * An empty list means every type a portal user can reach has a decided rule.
 */
export function portalPolicyProblems(schema: GraphQLSchema, policy: PortalPolicy): string[] {
  const problems: string[] = [];
  const declared = [
    ...Object.keys(policy.owners),
    ...(policy.parts ?? []),
    ...(policy.references ?? []),
    ...Object.keys(policy.restricted ?? {}),
  ];
  const seen = new Set<string>();
  for (const name of declared) {
    if (!isObjectType(schema.getType(name))) problems.push(`${name} is in the policy but is not an object type of the schema`);
    if (seen.has(name)) problems.push(`${name} is declared twice in the policy`);
    seen.add(name);
  }

  const queue: Visit[] = [];
  const enqueue = (field: GraphQLField<unknown, unknown>, from: From, path: string) => {
    for (const type of objectTypes(schema, getNamedType(field.type))) queue.push({ type, from, path });
  };
  const roots = [schema.getQueryType(), schema.getSubscriptionType()].filter((t): t is GraphQLObjectType => !!t);
  for (const [name, pin] of Object.entries(policy.queries)) {
    const root = roots.find((r) => r.getFields()[name]);
    if (!root) {
      problems.push(`queries.${name} is not a root field of the schema`);
      continue;
    }
    enqueue(root.getFields()[name]!, pin === asIs ? 'open root' : 'pinned root', `${root.name}.${name}`);
  }
  const entities = schema.getType('_Entity');
  if (entities && isAbstractType(entities))
    for (const type of schema.getPossibleTypes(entities)) queue.push({ type, from: 'entity lookup', path: `_entities(${type.name})` });

  const done = new Set<string>();
  for (let visit = queue.shift(); visit; visit = queue.shift()) {
    const { type, from, path } = visit;
    const key = `${type.name}|${from}`;
    if (done.has(key)) continue;
    done.add(key);
    const kind = portalKind(policy, type.name);
    if (!kind) {
      problems.push(`${type.name} (reached by ${path}) has no owner rule and is not declared a part, a reference or restricted`);
      continue;
    }
    if (kind === 'part' && !JUDGED_PARENTS.has(from))
      problems.push(`${type.name} is a part but is reached by ${path} (${from}), where no owner was judged`);
    const fields = type.getFields();
    if (kind === 'restricted') {
      for (const name of policy.restricted![type.name]!) {
        const field = fields[name];
        if (field) enqueue(field, 'restricted', `${type.name}.${name}`);
        else problems.push(`restricted.${type.name} lists ${name}, which ${type.name} does not have`);
      }
      continue;
    }
    const keys = kind === 'reference' ? keyFields(type) : new Set<string>();
    for (const field of Object.values(fields)) {
      if (kind === 'reference' && !keys.has(field.name)) {
        const target = getNamedType(field.type);
        const owned = objectTypes(schema, target);
        if (owned.length === 0 || owned.some((t) => portalKind(policy, t.name) !== 'owned'))
          problems.push(`${type.name} is a reference but ${type.name}.${field.name} returns ${target.name}, which has no owner rule`);
      }
      enqueue(field, kind, `${type.name}.${field.name}`);
    }
  }
  return problems;
}
