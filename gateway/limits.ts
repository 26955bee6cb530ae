import { ApolloArmor } from '@escape.tech/graphql-armor';

/**
 * Query-shape limits, checked while validating, before anything executes. Sized for the deepest
 * legitimate walks (ledger lineage, the customer-to-journal walk) with room to spare.
 */
export function queryLimits(opts: { production: boolean }) {
  return new ApolloArmor({
    maxDepth: { n: 16 },
    maxAliases: { n: 20 },
    maxDirectives: { n: 30 },
    maxTokens: { n: 6000 },
    costLimit: { maxCost: 30_000, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: true },
    // Suggestions ("did you mean ...") map the schema for an attacker when introspection is off.
    blockFieldSuggestion: { enabled: opts.production },
  }).protect();
}
