import { randomBytes } from 'node:crypto';
import { createAuthenticator, signDevToken } from '../../gateway/auth.ts';
import type { GatewaySecurity } from '../../gateway/security.ts';
import { loadConfig } from '../../lib/config.ts';
import { contextKey } from '../../lib/context-token.ts';
import type { Role } from '../../lib/principal.ts';

/** The tests' signing key: a fixed shared secret, as a deployment with AUTH_SECRET would have. */
export const TEST_AUTH_SECRET = 'test-secret-for-ledgerline-tests-only-0123456789';
export const testConfig = loadConfig({ AUTH_SECRET: TEST_AUTH_SECRET, NODE_ENV: 'test', LEDGERLINE_DATA_DIR: '/nonexistent' });

/** Like the embedded default: the playground starts with an admin token. */
export async function testSecurity(): Promise<GatewaySecurity> {
  return {
    authenticator: await createAuthenticator(testConfig),
    contextKey: contextKey(randomBytes(32).toString('hex')),
    playgroundToken: () => mintToken({ role: 'admin', sub: 'playground' }),
  };
}

export function mintToken(claims: { role: Role; customerId?: string; sub?: string; ttl?: string }): Promise<string> {
  return signDevToken(testConfig, {
    sub: claims.sub ?? `test-${claims.role}`,
    role: claims.role,
    customerId: claims.customerId ?? null,
    ttl: claims.ttl,
  });
}
