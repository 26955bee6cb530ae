import { SignJWT, jwtVerify } from 'jose';
import { isRole, type Principal } from './principal.ts';

/**
 * Gateway-to-subgraph trust. The gateway forwards the verified principal in a short-lived token
 * signed with a secret only the gateway and the subgraphs hold; a subgraph serves nothing to a
 * request without a valid one, so reaching a subgraph's port directly yields nothing.
 */
export const CONTEXT_HEADER = 'x-ledgerline-context';
const ISSUER = 'ledgerline-gateway';
const AUDIENCE = 'ledgerline-subgraphs';

export type ContextKey = Uint8Array;

export function contextKey(secret: string): ContextKey {
  if (secret.length < 32) throw new Error('The gateway context secret must be at least 32 characters');
  return new TextEncoder().encode(secret);
}

export async function signContext(key: ContextKey, principal: Principal, requestId: string): Promise<string> {
  return new SignJWT({ role: principal.role, cid: principal.customerId, rid: requestId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key);
}

export async function verifyContext(key: ContextKey, token: string): Promise<{ principal: Principal; requestId: string }> {
  const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
  if (!payload.sub || !isRole(payload.role)) throw new Error('context token without subject or role');
  return {
    principal: { sub: payload.sub, role: payload.role, customerId: typeof payload.cid === 'string' ? payload.cid : null },
    requestId: typeof payload.rid === 'string' ? payload.rid : '',
  };
}
