import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';

describe('configuration', () => {
  it('defaults to port 4000 and the embedded database', () => {
    const c = loadConfig({});
    expect(c.port).toBe(4000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.inlineTracing).toBe(false);
  });

  it('listens on loopback unless HOST says otherwise; all interfaces only in production', () => {
    // The development playground hands a browser on this machine a token: it must not face the network.
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    const production = { NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32), GATEWAY_CONTEXT_SECRET: 'y'.repeat(32) };
    expect(loadConfig(production).host).toBe('0.0.0.0');
  });

  it('reads a CORS allow-list of origins and refuses anything that is not an origin', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://portal.firm.example, http://localhost:5173' }).corsOrigins).toEqual([
      'https://portal.firm.example',
      'http://localhost:5173',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://portal.firm.example/path' })).toThrow(/CORS_ORIGINS/);
  });

  it('fails with one message naming each bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL/);
  });

  it('reads per-subgraph URLs for a distributed deployment', () => {
    expect(loadConfig({ SUBGRAPH_CRM_URL: 'http://crm:4001/graphql' }).subgraphUrls).toEqual({ crm: 'http://crm:4001/graphql' });
  });
});
