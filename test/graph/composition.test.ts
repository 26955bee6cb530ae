import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, SUPERGRAPH_FILE } from '../../gateway/compose.ts';
import { SUBGRAPH_NAMES } from '../../subgraphs/index.ts';

describe('composition', () => {
  it('composes the subgraphs of the registry into the checked-in supergraph', () => {
    const result = composeSupergraph();
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.subgraphs).toEqual(SUBGRAPH_NAMES);
    expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(result.supergraphSdl);
  });

  it('joins the entities across systems: one Customer type with fields from every system that extends it', () => {
    const result = composeSupergraph();
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const sdl = result.supergraphSdl;
    const joined = sdl.match(/type Customer\s*\n([\s\S]*?)\n\{/)?.[1] ?? '';
    for (const graph of ['CRM', 'PSA', 'TIME', 'BILLING', 'ERP', 'SYNC'])
      expect(joined).toContain(`@join__type(graph: ${graph}, key: "id"`);
  });

  it('describes every type and field for analysts browsing the docs', () => {
    const schema = buildSchema(readFileSync(SUPERGRAPH_FILE, 'utf8'), { assumeValidSDL: true });
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (
        type.name.startsWith('__') ||
        type.name.startsWith('join__') ||
        type.name.startsWith('link__') ||
        ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)
      )
        continue;
      if (!type.description) missing.push(type.name);
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
