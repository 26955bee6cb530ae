import type http from 'node:http';
import { type ApolloServer, HeaderMap } from '@apollo/server';
import { CONTEXT_HEADER, type ContextKey, verifyContext } from './context-token.ts';
import type { Logger } from './logger.ts';
import type { Principal } from './principal.ts';
import { contextFromHeaders, inSpan, SpanKind } from './telemetry.ts';

/**
 * A subgraph's HTTP front: /health, and /graphql for requests that carry the gateway's signed
 * context, handed to Apollo Server through its integration API (executeHTTPGraphQLRequest).
 *
 * Plain node:http rather than Express: a subgraph has one client (the gateway) and two routes, and
 * in the read benchmark Express's router, body-parser and content negotiation were about a tenth of
 * a subgraph process's CPU. The gateway, which serves browsers and people, keeps Express.
 */
export type SubgraphHttpOptions<Ctx> = {
  name: string;
  server: ApolloServer<Ctx & object>;
  contextKey: ContextKey;
  context: (req: http.IncomingMessage, principal: Principal) => Promise<Ctx> | Ctx;
  maxBodyBytes: number;
  /** Where a failure that is not the client's (a 500) is reported; the client gets no detail. */
  logger: Logger;
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export function subgraphRequestHandler<Ctx>(opts: SubgraphHttpOptions<Ctx>): http.RequestListener {
  return (req, res) => {
    // The gateway's fetch span is this request's parent (traceparent header), across processes.
    inSpan(
      `subgraph ${opts.name}`,
      { kind: SpanKind.SERVER, parent: contextFromHeaders(req.headers), attributes: { 'ledgerline.subgraph': opts.name } },
      () => handle(opts, req, res),
    ).catch((err: unknown) => {
      if (!(err instanceof HttpError)) opts.logger.error('subgraph request failed', { subgraph: opts.name, error: err });
      const e = err instanceof HttpError ? err : new HttpError(500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
      if (res.headersSent) return void res.destroy();
      send(res, e.status, { errors: [{ message: e.message, extensions: { code: e.code } }] });
    });
  };
}

async function handle<Ctx>(opts: SubgraphHttpOptions<Ctx>, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const queryAt = req.url!.indexOf('?');
  const path = queryAt < 0 ? req.url! : req.url!.slice(0, queryAt);
  if (path === '/health' && req.method === 'GET') return send(res, 200, { status: 'ok', subgraph: opts.name });
  if (path !== '/graphql') throw new HttpError(404, `Not found: ${path}`, 'NOT_FOUND');

  const token = req.headers[CONTEXT_HEADER];
  let principal: Principal;
  try {
    if (typeof token !== 'string') throw new Error('missing');
    principal = (await verifyContext(opts.contextKey, token)).principal;
  } catch {
    throw new HttpError(401, 'This subgraph serves the Ledgerline gateway only', 'UNAUTHENTICATED');
  }

  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers))
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  const body = req.method === 'POST' ? await readJson(req, opts.maxBodyBytes) : undefined;
  const response = await opts.server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method!.toUpperCase(), headers, search: queryAt < 0 ? '' : req.url!.slice(queryAt), body },
    context: async () => (await opts.context(req, principal)) as Ctx & object,
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') return void res.end(response.body.string);
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** The body as JSON when it says it is JSON; Apollo Server answers anything else with its own 400. */
async function readJson(req: http.IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `Request body larger than ${limit} bytes`, 'PAYLOAD_TOO_LARGE');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks, size).toString('utf8');
  if (!/^application\/(.+\+)?json\b/i.test(req.headers['content-type'] ?? '')) return text;
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON', 'BAD_REQUEST');
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
