import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUPERGRAPH_FILE } from '../../gateway/compose.ts';
import { checkSchema } from '../../gateway/schema-check.ts';

const current = readFileSync(SUPERGRAPH_FILE, 'utf8');
// Removing a field clients use is the classic breaking change.
const withoutIndustry = current.replace(
  '  """Industry, as the sales team classifies it."""\n  industry: String @join__field(graph: CRM)\n',
  '',
);

describe('schema check', () => {
  it('finds no change between a supergraph and itself', async () => {
    expect((await checkSchema(current, current, '')).changes).toEqual([]);
  });

  it('reports a removed field as breaking and unapproved', async () => {
    expect(withoutIndustry).not.toBe(current);
    const result = await checkSchema(current, withoutIndustry, '');
    expect(result.unapproved.map((c) => c.path)).toEqual(['Customer.industry']);
  });

  it('accepts it once SCHEMA_CHANGES.md lists the path', async () => {
    const result = await checkSchema(current, withoutIndustry, '| 2026-11-25 | `Customer.industry` | removed | no client reads it |');
    expect(result.breaking).toHaveLength(1);
    expect(result.unapproved).toEqual([]);
  });
});
