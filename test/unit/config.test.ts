import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';

describe('configuration', () => {
  it('defaults to port 4000 and the embedded database', () => {
    const c = loadConfig({});
    expect(c.port).toBe(4000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.inlineTracing).toBe(false);
  });

  it('fails with one message naming each bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL/);
  });

  it('reads per-subgraph URLs for a distributed deployment', () => {
    expect(loadConfig({ SUBGRAPH_CRM_URL: 'http://crm:4001/graphql' }).subgraphUrls).toEqual({ crm: 'http://crm:4001/graphql' });
  });
});
