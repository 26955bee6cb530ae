import {
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  visit,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';

/** Root subscription fields the gateway serves, and the query field that resolves one event. */
export const SUBSCRIPTION_FIELDS = ['syncJobUpdated', 'syncEvents'] as const;
export type SubscriptionField = (typeof SUBSCRIPTION_FIELDS)[number];
export const SEQUENCE_VARIABLE = '__ledgerlineSequence';
export const SEQUENCE_ALIAS = '__ledgerlineSequence';
export const PAGE_VARIABLE = '__ledgerlinePage';
export const FILTER_VARIABLE = '__ledgerlineFilter';

export type SubscriptionPlan = {
  field: SubscriptionField;
  /** Where the event appears in the client's result (alias or field name). */
  responseKey: string;
  /** The subscription field's arguments, coerced with the client's variables. */
  args: Record<string, any>;
  /**
   * The same selection as a query over `syncEvent(sequence:)`: executing it through the gateway
   * plans and fetches every federated field of one event. The sequence is always selected (under an
   * alias when the client did not ask for it), so the stream knows where it is.
   */
  eventQuery: DocumentNode;
  /**
   * The same selection over `syncEvents(afterSequence:, first:, filter:)`: the catch-up read of a
   * resuming stream, and of any stream after the gateway lost its LISTEN connection.
   */
  catchUpQuery: DocumentNode;
  /** The client's variables that the event query still uses. */
  variables: Record<string, unknown>;
};

/**
 * Turns a validated subscription operation into a plan, or explains why it cannot be served.
 * One root field per subscription (the GraphQL spec's rule); fragments are kept as they are.
 */
export function planSubscription(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): SubscriptionPlan | GraphQLError {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'subscription') return new GraphQLError('Not a subscription operation');
  const roots = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value !== '__typename');
  if (roots.length !== 1 || operation.selectionSet.selections.some((s) => s.kind !== Kind.FIELD)) {
    return new GraphQLError('A subscription selects exactly one root field', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const root = roots[0];
  const field = root.name.value as SubscriptionField;
  if (!SUBSCRIPTION_FIELDS.includes(field))
    return new GraphQLError(`Subscription field ${field} is not served by this gateway`, { extensions: { code: 'BAD_USER_INPUT' } });
  const fieldDef = schema.getSubscriptionType()?.getFields()[field];
  if (!fieldDef) return new GraphQLError(`The schema has no Subscription.${field}`);
  let args: Record<string, any>;
  try {
    args = getArgumentValues(fieldDef, root, variables);
  } catch (err) {
    return err instanceof GraphQLError ? err : new GraphQLError(String(err));
  }

  const selections: SelectionNode[] = [...(root.selectionSet?.selections ?? [])];
  const selectsSequence = selections.some((s) => s.kind === Kind.FIELD && !s.alias && s.name.value === 'sequence');
  if (!selectsSequence) {
    selections.push({ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: SEQUENCE_ALIAS }, name: { kind: Kind.NAME, value: 'sequence' } });
  }
  const eventField: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: root.alias?.value ?? root.name.value },
    name: { kind: Kind.NAME, value: 'syncEvent' },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'sequence' },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: SEQUENCE_VARIABLE } },
      },
    ],
    directives: root.directives,
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  const draft: OperationDefinitionNode = {
    ...operation,
    operation: 'query' as OperationDefinitionNode['operation'],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [eventField] },
  };
  const used = usedVariables(draft, document);
  const query: OperationDefinitionNode = {
    ...draft,
    variableDefinitions: [
      ...(operation.variableDefinitions ?? []).filter((v) => used.has(v.variable.name.value)),
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: SEQUENCE_VARIABLE } },
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } } },
      },
    ],
  };
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  const listField: FieldNode = {
    ...eventField,
    name: { kind: Kind.NAME, value: 'syncEvents' },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'afterSequence' },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: SEQUENCE_VARIABLE } },
      },
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'first' },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: PAGE_VARIABLE } },
      },
      // The subscription's filter (pinned to a portal user's customer) applies to the catch-up too.
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'filter' },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: FILTER_VARIABLE } },
      },
    ],
  };
  const catchUp: OperationDefinitionNode = {
    ...query,
    selectionSet: { kind: Kind.SELECTION_SET, selections: [listField] },
    variableDefinitions: [
      ...(query.variableDefinitions ?? []),
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: PAGE_VARIABLE } },
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'Int' } } },
      },
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: FILTER_VARIABLE } },
        type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'SyncJobUpdatedFilter' } },
      },
    ],
  };
  return {
    field,
    responseKey: root.alias?.value ?? root.name.value,
    args,
    eventQuery: { kind: Kind.DOCUMENT, definitions: [query, ...fragments] },
    catchUpQuery: { kind: Kind.DOCUMENT, definitions: [catchUp, ...fragments] },
    variables: Object.fromEntries(Object.entries(variables).filter(([k]) => used.has(k))),
  };
}

/** Variables referenced by the operation's selections, following the fragments it spreads. */
function usedVariables(operation: OperationDefinitionNode, document: DocumentNode): Set<string> {
  const used = new Set<string>();
  const collect = (node: Parameters<typeof visit>[0]) =>
    visit(node, {
      Variable: (v) => {
        used.add(v.name.value);
      },
      VariableDefinition: () => false,
    });
  collect(operation.selectionSet);
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) collect(def.selectionSet);
  used.delete(SEQUENCE_VARIABLE);
  used.delete(PAGE_VARIABLE);
  used.delete(FILTER_VARIABLE);
  return used;
}
