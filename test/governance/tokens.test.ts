import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../gateway/auth.ts';
import { loadConfig } from '../../lib/config.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { TEST_AUTH_SECRET, testConfig } from '../support/security.ts';

// Tokens that never stop working are refused: `exp` is required, and no token may live longer than
// AUTH_MAX_TOKEN_LIFETIME (24 h by default). Before, a token without exp, or a hundred-year one, worked.
let g: TestGraph;
beforeAll(async () => {
  g = await startTestGraph();
});
afterAll(async () => g?.stop());

const key = new TextEncoder().encode(TEST_AUTH_SECRET);
const base = () =>
  new SignJWT({ role: 'analyst' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('someone')
    .setIssuer('ledgerline')
    .setAudience('ledgerline');
const ask = (token: string) => g.request('{ customers(first: 1) { totalCount } }', {}, { authorization: `Bearer ${token}` });

describe('token lifetime', () => {
  it('a token without exp gets 401', async () => {
    const res = await ask(await base().setIssuedAt().sign(key));
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.data).toBeUndefined();
  });

  it('a hundred-year token gets 401, also without iat', async () => {
    expect((await ask(await base().setIssuedAt().setExpirationTime('100y').sign(key))).status).toBe(401);
    expect((await ask(await base().setExpirationTime('100y').sign(key))).status).toBe(401);
  });

  it('a token within the lifetime works, and the lifetime is configurable', async () => {
    expect((await ask(await base().setIssuedAt().setExpirationTime('23h').sign(key))).status).toBe(200);
    const strict = await createAuthenticator(loadConfig({ ...process.env, AUTH_SECRET: TEST_AUTH_SECRET, AUTH_MAX_TOKEN_LIFETIME: '600' }));
    await expect(strict.verify(`Bearer ${await base().setIssuedAt().setExpirationTime('1h').sign(key)}`)).rejects.toThrow(/longer/);
    const ok = await strict.verify(`Bearer ${await base().setIssuedAt().setExpirationTime('5m').sign(key)}`);
    expect(ok.expiresAt).toBeGreaterThan(Date.now());
    expect(testConfig.auth.maxTokenLifetimeSeconds).toBe(86_400);
  });
});
