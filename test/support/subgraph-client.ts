import { type ExecutionResult, graphql } from 'graphql';
import type { Principal } from '../../lib/principal.ts';
import type { SubgraphModule } from '../../lib/subgraph.ts';

/**
 * Executes an operation against a subgraph schema in-process, exactly as its HTTP server would
 * (same schema, same context factory, as the given caller), for subgraph-level tests such as `_entities`.
 */
export const ADMIN: Principal = { sub: 'test-admin', role: 'admin', customerId: null };

export async function execute<T = any>(
  module: SubgraphModule,
  source: string,
  variableValues?: Record<string, unknown>,
  principal: Principal = ADMIN,
): Promise<ExecutionResult<T>> {
  const contextValue = await module.context({ headers: {}, principal });
  return (await graphql({ schema: module.schema, source, variableValues, contextValue })) as ExecutionResult<T>;
}

/** The `extensions.code` of each error, for asserting error contracts. */
export function codes(result: ExecutionResult): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.code);
}
