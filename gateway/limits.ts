import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  type ParseOptions,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql';
import { type ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from '../lib/pagination.ts';

/**
 * The query-shape limits of the gateway, decided here for every transport: HTTP POST and GET go
 * through Apollo Server configured with these; WebSocket operations are checked by `checkOperation`
 * before they run. Sized for the deepest legitimate walks (ledger lineage, the customer-to-journal
 * walk) with room to spare; bench/operations.ts lists the reads they must admit.
 */
export const LIMITS = { depth: 16, aliases: 20, directives: 30, tokens: 6000, cost: 50_000 } as const;

/**
 * Lists without a page argument (a project's invoices, an entry's lines) are assumed to hold this
 * many items: typical of the data, so the cost tracks what a read really loads. Pages count at their
 * size. With 50,000, the README's walk and the benchmark's reads run with wide margins (portfolio
 * of 50 customers about 1,800; lineage of 6 entries about 900), while five aliases of
 * customers(first: 1000) with their projects' invoices (about 155,000) are refused.
 */
export const ASSUMED_LIST_SIZE = 5;

/** Parsing stops after this many tokens, so a huge document costs nothing to refuse (a 400 like any syntax error). */
export const PARSE_OPTIONS: ParseOptions = { maxTokens: LIMITS.tokens };

export function queryLimits(opts: { production: boolean }) {
  const armor = new ApolloArmor({
    maxDepth: { n: LIMITS.depth },
    maxAliases: { n: LIMITS.aliases },
    maxDirectives: { n: LIMITS.directives },
    // Tokens are counted by the parser itself (PARSE_OPTIONS) and cost with the variables (below):
    // armor's versions threw outside Apollo's parse phase (HTTP 500) and ignored variables.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    // Suggestions ("did you mean ...") map the schema for an attacker when introspection is off.
    blockFieldSuggestion: { enabled: opts.production },
  }).protect();
  return {
    validationRules: armor.validationRules as ValidationRule[],
    // graphql-armor is typed against the CommonJS build of @apollo/server; the plugin shape is the same.
    plugins: [...(armor.plugins as unknown as ApolloServerPlugin[]), costLimitPlugin()],
  };
}

/**
 * What an operation costs: one per object it may return, multiplied by the size of each list on the
 * way. A page argument (`first`, `last`) counts at its value, variables included: `first: $n` with
 * n = 1000 costs as much as `first: 1000` written inline. A list without one counts as
 * ASSUMED_LIST_SIZE; the `nodes` and `edges` of a connection are already counted by its page.
 */
const pageEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const returned = getNullableType(field.type);
  if (isLeafType(getNamedType(returned))) return 0;
  const page = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : undefined;
  const paged = page !== undefined || field.args.some((a) => a.name === 'first');
  const size = Math.max(page ?? (paged ? DEFAULT_PAGE_SIZE : ASSUMED_LIST_SIZE), 0);
  // A connection's own nodes/edges: its page already multiplied them.
  if (isListType(returned) && type.name.endsWith('Connection')) return 1 + childComplexity;
  if (isListType(returned) || paged) return size * (1 + childComplexity) + (isListType(returned) ? 0 : 1);
  return 1 + childComplexity;
};

/** The cost of one operation of `document` with its variables; NaN when the variables do not fit (execution reports that). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): number {
  try {
    return getComplexity({ schema, query: document, variables, operationName: operationName ?? undefined, estimators: [pageEstimator] });
  } catch {
    return Number.NaN;
  }
}

export function costError(cost: number): GraphQLError {
  return new GraphQLError(`Query cost ${cost} exceeds the limit of ${LIMITS.cost}: ask for smaller pages or fewer nested lists`, {
    extensions: { code: 'QUERY_COST_EXCEEDED', cost, limit: LIMITS.cost, http: { status: 400 } },
  });
}

/** The cost check inside Apollo's pipeline: after the operation is known, before anything executes. */
function costLimitPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName, operation }) {
          // A request naming an operation the document does not have: the client's mistake (the
          // gateway's executor would raise it as an internal INVALID_GRAPHQL).
          if (!operation)
            throw new GraphQLError(
              request.operationName ? `Unknown operation named "${request.operationName}"` : 'The document names no operation to run',
              { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
            );
          const cost = operationCost(schema, document, request.variables, operationName);
          if (cost > LIMITS.cost) throw costError(cost);
        },
      };
    },
  };
}

/**
 * The same limits for an operation that does not pass through Apollo Server (a subscription over
 * the WebSocket): parse with the token limit, validate with the shape rules, then the cost.
 * Returns the parsed document, or the errors a client gets for it (never a thrown exception).
 */
export function checkOperation(
  schema: GraphQLSchema,
  rules: readonly ValidationRule[],
  source: string,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
): { document: DocumentNode } | { errors: GraphQLError[] } {
  let document: DocumentNode;
  try {
    document = parse(source, PARSE_OPTIONS);
  } catch (err) {
    const e = err as GraphQLError;
    return {
      errors: [
        new GraphQLError(e.message, {
          nodes: e.nodes,
          source: e.source,
          positions: e.positions,
          extensions: { code: 'GRAPHQL_PARSE_FAILED' },
        }),
      ],
    };
  }
  const invalid = validate(schema, document, [...specifiedRules, ...rules]);
  if (invalid.length)
    return {
      errors: invalid.map(
        (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } }),
      ),
    };
  const cost = operationCost(schema, document, variables, operationName);
  if (cost > LIMITS.cost) return { errors: [costError(cost)] };
  return { document };
}
