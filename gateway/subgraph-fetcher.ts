import { STATUS_CODES } from 'node:http';
import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { Agent } from 'undici';

/** What one gateway process keeps open to each subgraph origin. */
export type SubgraphFetcherOptions = {
  /** Connections per subgraph origin; requests beyond them wait in the pool instead of opening sockets. */
  connections?: number;
  /** How long an idle connection stays open (the subgraph servers keep theirs 65 s). */
  keepAliveTimeoutMs?: number;
  /**
   * How long a subgraph may take to start answering, and may pause while sending its answer. A hung
   * subgraph otherwise held the client's request (and a pooled connection) for undici's 5 minutes;
   * past this the fetch fails and the client gets the other subgraphs' data and an error.
   */
  timeoutMs?: number;
};

export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 30_000;

/** A response whose body has been read whole: it can be read again, cloned, and never pins a socket. */
class BufferedResponse implements FetcherResponse {
  readonly redirected = false;
  bodyUsed = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: Headers,
    private readonly body: Buffer,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body.toString('utf8');
  }

  async json(): Promise<any> {
    this.bodyUsed = true;
    return JSON.parse(this.body.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }

  clone(): FetcherResponse {
    return new BufferedResponse(this.url, this.status, new Headers(this.headers), this.body);
  }
}

/**
 * The gateway's HTTP client for subgraph fetches: undici's `request()` over a keep-alive pool per
 * subgraph origin, one request per connection at a time (no pipelining: a slow answer must not hold
 * up the ones queued behind it on the same socket).
 *
 * Why not Node's global fetch: it is the same undici underneath, but each call also builds WHATWG
 * Request/Response objects, an AbortSignal and a web ReadableStream for the body; in the read
 * benchmark's CPU profile that machinery cost about as much as the HTTP exchange itself. Apollo's
 * RemoteGraphQLDataSource only needs status, headers and the body text, which this gives it.
 *
 * The body is read whole before the response is handed over (subgraph answers are JSON the gateway
 * parses anyway), so a connection goes back to the pool even when the caller never reads the body.
 */
export function subgraphFetcher(opts: SubgraphFetcherOptions = {}): { fetcher: Fetcher; close: () => Promise<void> } {
  const timeout = opts.timeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS;
  const agent = new Agent({
    connections: opts.connections ?? 64,
    pipelining: 1,
    keepAliveTimeout: opts.keepAliveTimeoutMs ?? 30_000,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    connectTimeout: Math.min(timeout, 10_000),
  });
  // A gateway calls the same few URLs: parse each once.
  const targets = new Map<string, { origin: string; path: string }>();
  const fetcher = async (url: string, init: FetcherRequestInit = {}): Promise<FetcherResponse> => {
    let target = targets.get(url);
    if (!target) {
      const u = new URL(url);
      if (targets.size >= 1000) targets.clear();
      target = { origin: u.origin, path: u.pathname + u.search };
      targets.set(url, target);
    }
    const res = await agent.request({
      origin: target.origin,
      path: target.path,
      method: (init.method ?? 'GET') as 'GET' | 'POST',
      headers: init.headers,
      body: init.body,
      signal: init.signal,
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    return new BufferedResponse(url, res.statusCode, headers, body);
  };
  return { fetcher, close: () => agent.close() };
}
