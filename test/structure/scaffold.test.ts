import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm run new:system` in a throwaway copy of the repository: the new system must compose, run and
// answer as part of the one graph, and adding it must touch only its folder and the registry.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LEFT_OUT = new Set(['node_modules', '.git', 'reports', 'bench/results', '.ledgerline', 'coverage']);
const NAME = 'scaffolded';
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

let copy: string;

/** Every file below `dir` (without what the copy leaves out) and its content. */
function tree(dir: string, rel = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(path.join(dir, rel))) {
    const file = rel ? `${rel}/${entry}` : entry;
    if (LEFT_OUT.has(file)) continue;
    const full = path.join(dir, file);
    if (statSync(full).isDirectory()) for (const [f, text] of tree(dir, file)) files.set(f, text);
    else files.set(file, readFileSync(full, 'utf8'));
  }
  return files;
}

beforeAll(() => {
  copy = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-scaffold-'));
  cpSync(ROOT, copy, { recursive: true, filter: (src) => !LEFT_OUT.has(path.relative(ROOT, src)) });
  // The dependencies are shared, not copied: a link keeps the copy fast and resolves to the same modules.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  execFileSync(TSX, ['scripts/new-system.ts', NAME], { cwd: copy, stdio: 'pipe' });
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('a seventh system from `npm run new:system`', () => {
  it('touches its own folder and the registry list only', () => {
    const before = tree(ROOT);
    const after = tree(copy);
    const added = [...after.keys()].filter((f) => !before.has(f));
    const changed = [...before.keys()].filter((f) => after.has(f) && after.get(f) !== before.get(f));
    const removed = [...before.keys()].filter((f) => !after.has(f));
    expect(added.length).toBeGreaterThan(0);
    expect(added.filter((f) => !f.startsWith(`subgraphs/${NAME}/`))).toEqual([]);
    expect(removed).toEqual([]);
    expect(changed).toEqual(['subgraphs/index.ts']);
    for (const part of [
      'schema.graphql',
      'api/index.ts',
      'authz.ts',
      'subgraph.ts',
      'context.ts',
      'data/tables.ts',
      'migrations/index.ts',
      'codegen.json',
      'resolvers/types.generated.ts',
    ])
      expect(added, part).toContain(`subgraphs/${NAME}/${part}`);
    expect(added.some((f) => f.startsWith(`subgraphs/${NAME}/resolvers/`))).toBe(true);
  });

  // tsc over the whole tree is most of this file's time; under the full suite's load it may take longer.
  it('typechecks with resolver types generated from its schema, and keeps the layering rules (typecheck, codegen:check, layers)', {
    timeout: 120_000,
  }, () => {
    const bin = (tool: string) => path.join(ROOT, 'node_modules', '.bin', tool);
    expect(readFileSync(path.join(copy, `subgraphs/${NAME}/resolvers/Query.ts`), 'utf8')).toContain('gql.QueryResolvers');
    execFileSync(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], { cwd: copy, stdio: 'pipe' });
    execFileSync(TSX, ['scripts/codegen-check.ts'], { cwd: copy, stdio: 'pipe' });
    execFileSync(
      bin('depcruise'),
      ['lib', 'subgraphs', 'sync-jobs', 'gateway', 'scripts', 'bench', 'seed', 'test', '--config', '.dependency-cruiser.cjs'],
      {
        cwd: copy,
        stdio: 'pipe',
      },
    );
  });

  it('composes into the supergraph with the code `npm run compose` runs, its Customer joined with crm by key', () => {
    execFileSync(TSX, ['scripts/compose.ts'], { cwd: copy, stdio: 'pipe' });
    const supergraph = readFileSync(path.join(copy, 'supergraph.graphql'), 'utf8');
    const customer = supergraph.match(/type Customer\s*\n([\s\S]*?)\n\{/)?.[1] ?? '';
    expect(customer).toContain('@join__type(graph: CRM, key: "id")');
    expect(customer).toContain(`@join__type(graph: ${NAME.toUpperCase()}, key: "id")`);
  });

  it('runs in the stack against a test database and answers an entity that spans crm and the new system', async () => {
    const copied = (file: string) => pathToFileURL(path.join(copy, file)).href;
    const { startTestGraph } = await import(copied('test/support/graph.ts'));
    const { migrateAll } = await import(copied('lib/migrate.ts'));
    const { SYSTEMS } = await import(copied('subgraphs/index.ts'));
    expect(SYSTEMS.map((s: { name: string }) => s.name)).toContain(NAME);
    const g = await startTestGraph(async (d: { db: any }) => {
      // The template database knows the six systems; the registry of the copy migrates the seventh too.
      await migrateAll(d.db, SYSTEMS);
      await d.db.insertInto('crm.customers').values({ id: 'cus_scaffold', name: 'Scaffold Ltd', region: 'EU' }).execute();
      await d.db
        .insertInto(`${NAME}.notes`)
        .values([
          { id: 'note_1', customer_id: 'cus_scaffold', text: 'First note' },
          { id: 'note_2', customer_id: 'cus_scaffold', text: 'Second note' },
        ])
        .execute();
    });
    try {
      const res = await g.request(`{ customers(first: 10) { nodes { id name ${NAME}Notes { text customer { name } } } } }`);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.customers.nodes).toEqual([
        {
          id: 'cus_scaffold',
          name: 'Scaffold Ltd',
          [`${NAME}Notes`]: [
            { text: 'First note', customer: { name: 'Scaffold Ltd' } },
            { text: 'Second note', customer: { name: 'Scaffold Ltd' } },
          ],
        },
      ]);
    } finally {
      await g.stop();
    }
  });
});
