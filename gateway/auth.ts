import { createRemoteJWKSet, importSPKI, type JWTPayload, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';
import type { Config } from '../lib/config.ts';
import { devSecret } from '../lib/dev-keys.ts';
import { isRole, type Principal, type Role } from '../lib/principal.ts';

export class AuthenticationError extends Error {}

/** A verified caller and when its token stops being valid (ms since the epoch). */
export type Authenticated = Principal & { expiresAt: number };

export type Authenticator = {
  /** Verifies an `Authorization` header value; throws AuthenticationError with the reason. */
  verify: (authorization: string | undefined) => Promise<Authenticated>;
  /** True when the development key signs tokens (embedded default, never production). */
  development: boolean;
};

type KeySource = { key: Uint8Array | CryptoKey | JWTVerifyGetKey; algorithms: string[]; development: boolean };

async function keySource(config: Config): Promise<KeySource> {
  const a = config.auth;
  if (a.secret) return { key: new TextEncoder().encode(a.secret), algorithms: ['HS256', 'HS384', 'HS512'], development: false };
  if (a.publicKey) return { key: await importSPKI(a.publicKey, a.algorithm), algorithms: [a.algorithm], development: false };
  if (a.jwksUrl) return { key: createRemoteJWKSet(new URL(a.jwksUrl)), algorithms: [a.algorithm], development: false };
  if (config.nodeEnv === 'production') throw new Error('no signing key configured in production');
  return { key: new TextEncoder().encode(devSecret(config.dataDir, 'dev-auth-secret')), algorithms: ['HS256'], development: true };
}

/**
 * JWT bearer authentication with jose. Claims: `sub`, `role` (analyst, portal, operator, admin) and,
 * for portal users, `customer_id`. Issuer and audience must match the configuration. `exp` is
 * required and a token may not live longer than `config.auth.maxTokenLifetimeSeconds` (from `iat`,
 * or from now when it has none): a stolen token without expiry, or with a hundred-year one, would
 * never stop working.
 */
export async function createAuthenticator(config: Config): Promise<Authenticator> {
  const source = await keySource(config);
  const maxLifetimeMs = config.auth.maxTokenLifetimeSeconds * 1000;
  // A client sends the same token with every request; checking its signature once per minute is
  // enough (expiry is still honoured: an entry never outlives its token).
  const verified = new Map<string, { principal: Authenticated; until: number }>();
  return {
    development: source.development,
    verify: async (authorization) => {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!m) throw new AuthenticationError('A bearer token is required (Authorization: Bearer <token>)');
      const hit = verified.get(m[1]);
      if (hit && hit.until > Date.now()) return hit.principal;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(m[1], source.key as Uint8Array, {
          issuer: config.auth.issuer,
          audience: config.auth.audience,
          algorithms: source.algorithms,
          requiredClaims: ['exp'],
        }));
      } catch (err) {
        throw new AuthenticationError(`Invalid token: ${(err as { code?: string }).code ?? (err as Error).message}`);
      }
      if (!payload.sub) throw new AuthenticationError('Invalid token: no subject');
      if (!isRole(payload.role)) throw new AuthenticationError(`Invalid token: role must be one of analyst, portal, operator, admin`);
      const customerId = typeof payload.customer_id === 'string' ? payload.customer_id : null;
      if (payload.role === 'portal' && !customerId)
        throw new AuthenticationError('Invalid token: a portal token needs a customer_id claim');
      const expiresAt = payload.exp! * 1000;
      const issuedAt = typeof payload.iat === 'number' ? payload.iat * 1000 : Date.now();
      if (expiresAt - issuedAt > maxLifetimeMs)
        throw new AuthenticationError(
          `Invalid token: it lives longer than the ${config.auth.maxTokenLifetimeSeconds} s this gateway accepts (AUTH_MAX_TOKEN_LIFETIME)`,
        );
      const principal: Authenticated = {
        sub: payload.sub,
        role: payload.role,
        customerId: payload.role === 'portal' ? customerId : null,
        expiresAt,
      };
      if (verified.size >= 10_000) verified.delete(verified.keys().next().value!);
      verified.set(m[1], { principal, until: Math.min(Date.now() + 60_000, expiresAt) });
      return principal;
    },
  };
}

/** Signs a token with the development key (the `npm run token` command, tests). */
export async function signDevToken(
  config: Config,
  claims: { sub: string; role: Role; customerId?: string | null; ttl?: string },
): Promise<string> {
  if (config.nodeEnv === 'production') throw new Error('The development signing key is refused when NODE_ENV=production');
  const secret = config.auth.secret ?? devSecret(config.dataDir, 'dev-auth-secret');
  return new SignJWT({ role: claims.role, ...(claims.customerId ? { customer_id: claims.customerId } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(config.auth.issuer)
    .setAudience(config.auth.audience)
    .setIssuedAt()
    .setExpirationTime(claims.ttl ?? '8h')
    .sign(new TextEncoder().encode(secret));
}
