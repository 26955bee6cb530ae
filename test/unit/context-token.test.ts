import { describe, expect, it } from 'vitest';
import { contextKey, signContext, verifyContext } from '../../lib/context-token.ts';

const key = contextKey('k'.repeat(40));
const principal = { sub: 'ana', role: 'portal' as const, customerId: 'cus_0001' };

describe('gateway context token', () => {
  it('round-trips the caller and the request id', async () => {
    expect(await verifyContext(key, await signContext(key, principal, 'req-1'))).toEqual({ principal, requestId: 'req-1' });
  });

  it('refuses another key, a tampered payload and a malformed token', async () => {
    const token = await signContext(key, principal, 'req-1');
    await expect(verifyContext(contextKey('x'.repeat(40)), token)).rejects.toThrow(/signature/);
    const [v, body, mac] = token.split('.');
    const forged = Buffer.from(Buffer.from(body, 'base64url').toString().replace('portal', 'admin')).toString('base64url');
    await expect(verifyContext(key, `${v}.${forged}.${mac}`)).rejects.toThrow(/signature/);
    await expect(verifyContext(key, 'nonsense')).rejects.toThrow(/malformed/);
  });

  it('refuses a key shorter than 32 characters', () => {
    expect(() => contextKey('short')).toThrow(/32/);
  });
});
