import { randomBytes } from 'node:crypto';
import type { Config } from '../lib/config.ts';
import { type ContextKey, contextKey } from '../lib/context-token.ts';
import { devSecret } from '../lib/dev-keys.ts';
import { type Authenticator, createAuthenticator, signDevToken } from './auth.ts';
import { loadTrustedDocuments } from './trusted-documents.ts';

export type GatewaySecurity = {
  authenticator: Authenticator;
  contextKey: ContextKey;
  trustedDocuments?: Map<string, string>;
  /** Browser origins allowed cross-origin (CORS_ORIGINS); none by default. */
  corsOrigins?: string[];
  /** The bearer token Prometheus presents for /metrics (METRICS_TOKEN). */
  metricsToken?: string;
  /** Only with the development key: mints the admin token the playground starts with on this machine. */
  playgroundToken?: () => Promise<string>;
};

/**
 * Everything the gateway needs to check callers, from the configuration. The context key is
 * GATEWAY_CONTEXT_SECRET when set (required in production, shared with subgraph processes); in
 * development a key under the data directory, so subgraphs started alone there agree with it.
 */
export async function gatewaySecurity(config: Config, opts: { ephemeralContextKey?: boolean } = {}): Promise<GatewaySecurity> {
  const authenticator = await createAuthenticator(config);
  const secret =
    config.contextSecret ?? (opts.ephemeralContextKey ? randomBytes(32).toString('hex') : devSecret(config.dataDir, 'dev-context-secret'));
  return {
    authenticator,
    contextKey: contextKey(secret),
    trustedDocuments: config.trustedDocumentsFile ? loadTrustedDocuments(config.trustedDocumentsFile) : undefined,
    corsOrigins: config.corsOrigins,
    metricsToken: config.metricsToken,
    playgroundToken: authenticator.development ? () => signDevToken(config, { sub: 'playground', role: 'admin', ttl: '12h' }) : undefined,
  };
}

/** The context key of a subgraph process started alone: the same rule as the gateway's. */
export function subgraphContextKey(config: Config): ContextKey {
  if (config.contextSecret) return contextKey(config.contextSecret);
  if (config.nodeEnv === 'production') throw new Error('GATEWAY_CONTEXT_SECRET is required in production');
  return contextKey(devSecret(config.dataDir, 'dev-context-secret'));
}
