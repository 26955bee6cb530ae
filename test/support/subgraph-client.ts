import { graphql, type ExecutionResult } from 'graphql';
import type { SubgraphModule } from '../../lib/subgraph.ts';

/**
 * Executes an operation against a subgraph schema in-process, exactly as its HTTP server would
 * (same schema, same context factory), for subgraph-level tests such as `_entities`.
 */
export async function execute<T = any>(module: SubgraphModule, source: string, variableValues?: Record<string, unknown>): Promise<ExecutionResult<T>> {
  const contextValue = await module.context({ headers: {} });
  return (await graphql({ schema: module.schema, source, variableValues, contextValue })) as ExecutionResult<T>;
}

/** The `extensions.code` of each error, for asserting error contracts. */
export function codes(result: ExecutionResult): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.code);
}
