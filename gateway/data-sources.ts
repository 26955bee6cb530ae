import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { CONTEXT_HEADER, type ContextKey, signContext } from '../lib/context-token.ts';
import { injectInto } from '../lib/telemetry.ts';
import type { GatewayContext } from './context.ts';
import { withDistinctRepresentations } from './entity-representations.ts';
import { DEFAULT_SUBGRAPH_TIMEOUT_MS, subgraphFetcher } from './subgraph-fetcher.ts';

/**
 * Calls to subgraphs keep connections alive, pooled per origin (so a query plan's fetches do not each
 * pay a TCP handshake), over undici's lean request API rather than WHATWG fetch (subgraph-fetcher.ts).
 * One pool per process, as Node's global fetch had.
 */
const fetchers = new Map<number, ReturnType<typeof subgraphFetcher>['fetcher']>();
function fetcherWithTimeout(timeoutMs: number) {
  let f = fetchers.get(timeoutMs);
  if (!f) {
    f = subgraphFetcher({ timeoutMs }).fetcher;
    fetchers.set(timeoutMs, f);
  }
  return f;
}

const signedByRequest = new WeakMap<GatewayContext, Promise<string>>();

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly key: ContextKey,
    timeoutMs = DEFAULT_SUBGRAPH_TIMEOUT_MS,
  ) {
    super({ url, fetcher: fetcherWithTimeout(timeoutMs) });
  }

  // Each distinct entity once per fetch (entity-representations.ts): the gateway repeats a
  // representation for every place an entity occurs, and the subgraph would resolve every copy.
  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    return withDistinctRepresentations(options.request.variables, (variables) =>
      super.process({ ...options, request: { ...options.request, variables } }),
    );
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Subgraphs serve only requests that carry the gateway's signed copy of the caller.
    if (!context || !('principal' in context) || !context.principal) throw new Error('gateway request without a principal');
    const ctx = context as GatewayContext;
    // One signature per client request, however many fetches its plan makes.
    let signed = signedByRequest.get(ctx);
    if (!signed) {
      signed = signContext(this.key, ctx.principal, ctx.requestId);
      signedByRequest.set(ctx, signed);
    }
    request.http?.headers.set(CONTEXT_HEADER, await signed);
    // One request id across the gateway and every subgraph it calls, for logs and error reports.
    request.http?.headers.set('x-request-id', ctx.requestId);
    // The subgraph continues this fetch's trace (W3C traceparent), when tracing is on.
    if (request.http) injectInto(request.http.headers);
  }
}

/** The URL of each subgraph: an explicit override (env or test harness) wins over the supergraph's routing URL. */
export function resolveSubgraphUrl(name: string, routingUrl: string | undefined, overrides: Partial<Record<string, string>>): string {
  const url = overrides[name] ?? routingUrl;
  if (!url) throw new Error(`No URL for subgraph ${name}`);
  return url;
}
