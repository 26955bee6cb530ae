import { randomUUID } from 'node:crypto';
import { createAuthenticator, signDevToken } from '../gateway/auth.ts';
import type { GatewaySecurity } from '../gateway/security.ts';
import { loadConfig } from '../lib/config.ts';
import { CONTEXT_HEADER, contextKey, signContext } from '../lib/context-token.ts';
import type { Principal } from '../lib/principal.ts';

/**
 * The benchmark's keys, the way the tests do it (test/support/security.ts): a fixed AUTH_SECRET signs
 * the bearer tokens, a fixed context secret signs what every gateway forwards to the subgraphs.
 * Benchmark-only values; never a deployment's.
 */
export const BENCH_AUTH_SECRET = 'bench-secret-for-ledgerline-benchmarks-0123456789';
export const BENCH_CONTEXT_SECRET = 'bench-context-secret-for-ledgerline-benchmarks-0123';
export const benchConfig = loadConfig({ AUTH_SECRET: BENCH_AUTH_SECRET, NODE_ENV: 'test', LEDGERLINE_DATA_DIR: '/nonexistent' });

export async function benchSecurity(): Promise<GatewaySecurity & { rateLimitPerMinute: number }> {
  // No rate limit in the way: the benchmark is one client sending thousands of requests a second.
  return {
    authenticator: await createAuthenticator(benchConfig),
    contextKey: contextKey(BENCH_CONTEXT_SECRET),
    rateLimitPerMinute: 1_000_000_000,
  };
}

/** A bearer token for the benchmark's client (admin: it reads everything and runs the sync mutations). */
export function benchToken(): Promise<string> {
  return signDevToken(benchConfig, { sub: 'bench', role: 'admin', ttl: '12h' });
}

/**
 * A Hive Gateway plugin doing what the Ledgerline gateway does for each request: verify the bearer
 * token, then sign the caller into every subgraph fetch, so the subgraphs serve Hive as they serve
 * Ledgerline and both gateways pay the same authentication work.
 */
export async function hiveAuthPlugin() {
  const authenticator = await createAuthenticator(benchConfig);
  const key = contextKey(BENCH_CONTEXT_SECRET);
  return {
    async onContextBuilding({
      context,
      extendContext,
    }: {
      context: { request: Request };
      extendContext: (c: Record<string, unknown>) => void;
    }) {
      const principal = await authenticator.verify(context.request.headers.get('authorization') ?? undefined);
      extendContext({ principal, requestId: randomUUID() });
    },
    async onFetch({
      context,
      options,
      setOptions,
    }: {
      context?: { principal?: Principal; requestId?: string };
      options: RequestInit;
      setOptions: (o: RequestInit) => void;
    }) {
      if (!context?.principal) return;
      const headers = {
        ...(options.headers as Record<string, string>),
        [CONTEXT_HEADER]: await signContext(key, context.principal, context.requestId ?? ''),
      };
      setOptions({ ...options, headers });
    },
  };
}
