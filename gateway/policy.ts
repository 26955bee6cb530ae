import type { Authenticated, Authenticator } from './auth.ts';
import type { OperationBudget } from './operation-budget.ts';
import { resolveTrustedDocument } from './trusted-documents.ts';

/** What a client sends for one operation, over any transport (POST body, GET query string, graphql-ws payload). */
export type OperationRequest = {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
  documentId?: unknown;
};

/** Why an operation is refused before it is parsed: an HTTP status for HTTP, the code for both. */
export type Refusal = { status: number; code: 'RATE_LIMITED' | 'PERSISTED_QUERY_NOT_FOUND'; message: string; retryAfter?: number };

export type Admission = { ok: true; query: string | undefined } | ({ ok: false } & Refusal);

export type OperationGateOptions = {
  authenticator: Authenticator;
  /** One operation per call: the caller's per-minute budget, shared by every replica (operation-budget.ts). */
  budget: OperationBudget;
  /** Failed authentications, per address. */
  failures: OperationBudget;
  /** Trusted-documents-only mode when given. */
  trustedDocuments?: Map<string, string>;
};

/**
 * The one place that decides whether an operation may run, whatever carried it: HTTP POST, HTTP GET
 * and every operation over the WebSocket (queries, mutations and subscriptions) call `admit`. It
 * takes one token from the caller's budget (one budget per token subject for all transports) and,
 * in trusted-documents mode, resolves the document or refuses it. Authentication and the token's
 * expiry are the authenticator's; the shape and cost limits are gateway/limits.ts, applied by Apollo
 * Server for HTTP and by the socket before it runs anything.
 */
export class OperationGate {
  constructor(private readonly opts: OperationGateOptions) {}

  get trustedOnly(): boolean {
    return this.opts.trustedDocuments !== undefined;
  }

  authenticate(authorization: string | undefined): Promise<Authenticated> {
    return this.opts.authenticator.verify(authorization);
  }

  /** After a failed authentication: a refusal once the address has failed too often (guessing tokens is slow too). */
  async limitFailure(address: string | undefined): Promise<Refusal | undefined> {
    const wait = await this.opts.failures.take(`ip:${address ?? 'unknown'}`);
    return wait ? { status: 429, code: 'RATE_LIMITED', message: 'Too many requests', retryAfter: wait } : undefined;
  }

  /**
   * Admits one operation of an authenticated caller. The query to run is the request's own text, or
   * in trusted-documents mode the trusted document it names (by hash or by exact text).
   */
  async admit(caller: Authenticated, request: OperationRequest): Promise<Admission> {
    const wait = await this.opts.budget.take(`sub:${caller.sub}`);
    if (wait) return { ok: false, status: 429, code: 'RATE_LIMITED', message: `Rate limit exceeded; retry in ${wait} s`, retryAfter: wait };
    if (!this.opts.trustedDocuments) return { ok: true, query: typeof request.query === 'string' ? request.query : undefined };
    const query = resolveTrustedDocument(this.opts.trustedDocuments, request as Parameters<typeof resolveTrustedDocument>[1]);
    if (!query)
      return { ok: false, status: 400, code: 'PERSISTED_QUERY_NOT_FOUND', message: 'Only trusted documents are accepted by this gateway' };
    return { ok: true, query };
  }
}

/** The operation fields of a GET request's query string (`extensions` and `variables` are JSON). */
export function operationOfQueryString(params: Record<string, unknown>): OperationRequest {
  const json = (v: unknown) => {
    if (typeof v !== 'string') return undefined;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return undefined;
    }
  };
  return {
    query: params.query,
    operationName: params.operationName,
    variables: json(params.variables),
    extensions: json(params.extensions),
    documentId: params.documentId,
  };
}
