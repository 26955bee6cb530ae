import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES } from '../../subgraphs/index.ts';

// CONTRIBUTING.md promises one layout for every system; this keeps the promise true.
const SUBGRAPHS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../subgraphs');
const PARTS = ['schema.graphql', 'subgraph.ts', 'context.ts', 'authz.ts', 'api/index.ts', 'data/tables.ts', 'migrations/index.ts'];

describe('one layout for every system', () => {
  it('the registry lists every system folder, and nothing else lives in subgraphs/ but the shared leaf', () => {
    const folders = readdirSync(SUBGRAPHS, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.filter((f) => f !== 'shared').sort()).toEqual([...SUBGRAPH_NAMES].sort());
  });

  it.each(SUBGRAPH_NAMES)('%s has the parts of a system, resolvers, and no process entry of its own', (name) => {
    for (const part of PARTS) expect(existsSync(path.join(SUBGRAPHS, name, part)), `${name}/${part}`).toBe(true);
    expect(readdirSync(path.join(SUBGRAPHS, name, 'resolvers')).length).toBeGreaterThan(0);
    expect(existsSync(path.join(SUBGRAPHS, name, 'server.ts'))).toBe(false);
  });
});
