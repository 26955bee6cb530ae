import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { GatewayContext } from './context.ts';

/**
 * Calls to subgraphs go over Node's fetch (undici), which keeps connections alive and pools them per
 * origin, so a query plan's fetches do not each pay a TCP handshake.
 */
const keepAliveFetcher = globalThis.fetch as unknown as Fetcher;

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(name: string, url: string) {
    super({ url, fetcher: keepAliveFetcher });
    this.name = name;
  }

  readonly name: string;

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // One request id across the gateway and every subgraph it calls, for logs and error reports.
    if (context && 'requestId' in context && context.requestId) request.http?.headers.set('x-request-id', context.requestId);
  }
}

/** The URL of each subgraph: an explicit override (env or test harness) wins over the supergraph's routing URL. */
export function resolveSubgraphUrl(name: string, routingUrl: string | undefined, overrides: Partial<Record<string, string>>): string {
  const url = overrides[name] ?? routingUrl;
  if (!url) throw new Error(`No URL for subgraph ${name}`);
  return url;
}
