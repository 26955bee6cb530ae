import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run new:system -- <name>`: a new system from the shape every system has (CONTRIBUTING.md).
 * It writes subgraphs/<name>/ (schema, migration, data, api, resolvers, authz, context, subgraph)
 * and adds the system to the registry, subgraphs/index.ts: its import and its entry in SYSTEMS.
 * Config names, port, migrations, composition and the start script follow from the registry. Its
 * entity extends crm's Customer by @key, so the new system is one graph with the others at once.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The name is a PostgreSQL schema, an identifier in subgraphs/index.ts and part of SUBGRAPH_<NAME>_URL.
const NAME = /^[a-z][a-z0-9]{1,30}$/;
const RESERVED = new Set(['shared', 'index', 'system', 'public', 'default', 'delete', 'new', 'class', 'function', 'import', 'export']);

export function newSystem(name: string, repo = root): string[] {
  if (!NAME.test(name)) throw new Error(`${name}: a system name is lower-case letters and digits, starting with a letter`);
  if (RESERVED.has(name)) throw new Error(`${name} is reserved`);
  const dir = path.join(repo, 'subgraphs', name);
  if (existsSync(dir)) throw new Error(`subgraphs/${name} exists already`);
  const registry = path.join(repo, 'subgraphs', 'index.ts');
  const source = readFileSync(registry, 'utf8');
  const list = /^export const SYSTEMS = \[([^\]]*)\] as const;$/m;
  const match = list.exec(source);
  if (!match) throw new Error('subgraphs/index.ts: no `export const SYSTEMS = [...] as const;` line');

  const files = templates(name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  // The registry: one import (kept in the alphabetical order biome keeps) and the entry, last, so
  // the ports of the systems before it do not move.
  const importLine = `import { system as ${name} } from './${name}/subgraph.ts';\n`;
  const imports = [...source.matchAll(/^import \{ system as (\w+) \} from '[^']+';\n/gm)];
  const after = imports.filter((m) => m[1]! < name).at(-1) ?? imports[0];
  if (!after) throw new Error('subgraphs/index.ts: no `import { system as ... }` line');
  const at = after[1]! < name ? after.index! + after[0].length : after.index!;
  let next = source.slice(0, at) + importLine + source.slice(at);
  next = next.replace(list, (_, entries: string) => `export const SYSTEMS = [${entries.trim()}, ${name}] as const;`);
  writeFileSync(registry, next);
  return [...Object.keys(files).map((f) => `subgraphs/${name}/${f}`), 'subgraphs/index.ts'];
}

function templates(name: string): Record<string, string> {
  const Name = name[0]!.toUpperCase() + name.slice(1);
  const Note = `${Name}Note`;
  const field = `${name}Notes`;
  const stamp = migrationStamp(new Date());
  const migration = `${stamp}_create_${name}`;
  return {
    'schema.graphql': `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

"""
A client of the firm (owned by crm). ${Name} adds the notes it keeps on it.
"""
type Customer @key(fields: "id") {
  """
  Stable customer id, shared by every system.
  """
  id: ID!
  """
  The notes ${name} keeps on this customer, oldest first.
  """
  ${field}: [${Note}!]!
}

"""
A note ${name} keeps on a customer.
"""
type ${Note} @key(fields: "id") {
  """
  Stable id.
  """
  id: ID!
  """
  The customer the note is about.
  """
  customer: Customer!
  """
  What the note says.
  """
  text: String!
  """
  When it was written.
  """
  createdAt: DateTime!
}

type Query {
  """
  One ${name} note by id, or null.
  """
  ${name}Note(
    """
    The note's id.
    """
    id: ID!
  ): ${Note}
}
`,
    [`migrations/${migration}.ts`]: `import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await sql\`
    create schema if not exists ${name};
    create table ${name}.notes (
      id text primary key,
      customer_id text not null,
      text text not null check (length(btrim(text)) > 0),
      created_at timestamptz not null default now()
    );
    create index notes_customer_idx on ${name}.notes (customer_id, created_at, id);
  \`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql\`drop table ${name}.notes\`.execute(db);
}
`,
    'migrations/index.ts': `import type { Migration } from 'kysely';
import * as m0 from './${migration}.ts';

/** Every migration of the ${name} schema, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '${migration}': m0,
};
`,
    'data/tables.ts': `import type { Generated, Selectable } from 'kysely';

/** The ${name} schema as kysely sees it: only this system's tables are reachable from its code. */
export type ${Name}Database = {
  '${name}.notes': NotesTable;
};

export type NotesTable = {
  id: string;
  /** A crm customer id; another system's row, so no foreign key. */
  customer_id: string;
  text: string;
  created_at: Generated<Date>;
};

export type Note = Selectable<NotesTable>;
`,
    'data/notes.ts': `import type { Kysely } from 'kysely';
import type { ${Name}Database, Note } from './tables.ts';

export function findNotesByIds(db: Kysely<${Name}Database>, ids: readonly string[]): Promise<Note[]> {
  return db.selectFrom('${name}.notes').selectAll().where('id', 'in', ids).execute();
}

export function findNotesOfCustomers(db: Kysely<${Name}Database>, customerIds: readonly string[]): Promise<Note[]> {
  return db.selectFrom('${name}.notes').selectAll().where('customer_id', 'in', customerIds).orderBy('created_at').orderBy('id').execute();
}
`,
    'api/index.ts': `/**
 * ${Name}'s system API: every write to ${name} data goes through here, from GraphQL mutations and from
 * sync jobs alike, so ${name} validates everything written to it.
 */
import type { Kysely } from 'kysely';
import { newId } from '../../../lib/ids.ts';
import { requireText } from '../../../lib/validate.ts';
import type { ${Name}Database, Note } from '../data/tables.ts';

export type AddNoteInput = { customerId: string; text: string };

export function addNote(db: Kysely<${Name}Database>, input: AddNoteInput): Promise<Note> {
  return db
    .insertInto('${name}.notes')
    .values({ id: newId('note'), customer_id: requireText(input.customerId, 'customerId'), text: requireText(input.text, 'text') })
    .returningAll()
    .executeTakeFirstOrThrow();
}
`,
    'context.ts': `import type { Kysely } from 'kysely';
import { byKey, groupByKey } from '../../lib/loaders.ts';
import { type BaseContext, baseContext, type RequestInfo, type SubgraphOptions } from '../../lib/subgraph.ts';
import { findNotesByIds, findNotesOfCustomers } from './data/notes.ts';
import type { ${Name}Database } from './data/tables.ts';

export type ${Name}Context = BaseContext<${Name}Database>;

export function createContext(db: Kysely<${Name}Database>, req: RequestInfo, options?: SubgraphOptions): ${Name}Context {
  return baseContext(db, req, options);
}

/** Per-request batch loaders: one SQL statement per field per request, whatever the number of parents. */
export const load = {
  note: (ctx: ${Name}Context) => ctx.loaders.get('note', async (ids) => byKey(ids, await findNotesByIds(ctx.db, ids), (r) => r.id)),
  notesOfCustomer: (ctx: ${Name}Context) =>
    ctx.loaders.get('notesOfCustomer', async (ids) => groupByKey(ids, await findNotesOfCustomers(ctx.db, ids), (r) => r.customer_id)),
};
`,
    // Its resolver types are generated from its schema (codegen.ts reads this file; the scaffold runs it).
    'codegen.json': `${JSON.stringify(
      {
        context: `../context.ts#${Name}Context`,
        mappers: { Customer: '../../../lib/entity-ref.ts#EntityRef', [Note]: '../data/tables.ts#Note' },
      },
      null,
      2,
    )}\n`,
    'resolvers/Customer.ts': `import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const CustomerResolvers: gql.CustomerResolvers = {
  ${field}: (c, _, ctx) => load.notesOfCustomer(ctx).load(c.id),
};
`,
    [`resolvers/${Note}.ts`]: `import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const ${Note}Resolvers: gql.${Note}Resolvers = {
  __resolveReference: (ref, ctx) => load.note(ctx).load(ref.id),
  customer: (n) => ({ id: n.customer_id }),
  createdAt: (n) => n.created_at,
};
`,
    'resolvers/Query.ts': `import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const QueryResolvers: gql.QueryResolvers = {
  ${name}Note: (_, args, ctx) => load.note(ctx).load(args.id),
};
`,
    'authz.ts': `import { type AuthzPolicy, asIs } from '../../lib/authz.ts';
import type { Note } from './data/tables.ts';

/** ${Name} rules: a portal user sees the notes of its own customer only. */
export const ${name}Policy: AuthzPolicy = {
  portal: {
    queries: { ${name}Note: asIs },
    owners: {
      Customer: (c: { id: string }) => c.id,
      ${Note}: (n: Note) => n.customer_id,
    },
  },
};
`,
    'subgraph.ts': `import type { Kysely } from 'kysely';
import { buildSchema, defineSystem, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraph.ts';
import { loadSchema } from '../shared/schema.ts';
import { ${name}Policy } from './authz.ts';
import { type ${Name}Context, createContext } from './context.ts';
import type { ${Name}Database } from './data/tables.ts';
import { migrations } from './migrations/index.ts';
import { CustomerResolvers } from './resolvers/Customer.ts';
import { ${Note}Resolvers } from './resolvers/${Note}.ts';
import { QueryResolvers } from './resolvers/Query.ts';

const schemaFile = new URL('./schema.graphql', import.meta.url);
export const sdl = loadSchema(schemaFile);

/** The ${name} subgraph: schema plus context factory. Side-effect free; \`scripts/start-subgraph.ts\` listens. */
export function create${Name}Subgraph(db: Kysely<${Name}Database>, options: SubgraphOptions = {}): SubgraphModule<${Name}Context> {
  return {
    name: '${name}',
    schema: buildSchema(sdl, { Query: QueryResolvers, Customer: CustomerResolvers, ${Note}: ${Note}Resolvers }, ${name}Policy),
    context: (req) => createContext(db, req, options),
  };
}

/** ${name} as the registry (subgraphs/index.ts) lists it. */
export const system = defineSystem({ name: '${name}', create: create${Name}Subgraph, migrations, schemaFile, sdl, policy: ${name}Policy });
`,
  };
}

/** Migrations are named by the time they were written, so they sort in the order they apply. */
function migrationStamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const name = process.argv[2];
  if (!name) {
    console.error('Usage: npm run new:system -- <name>');
    process.exit(2);
  }
  try {
    const written = newSystem(name);
    // Its resolvers are typed by the generated file: without it the new system does not compile.
    execFileSync(path.join(root, 'node_modules', '.bin', 'graphql-codegen'), ['--config', 'codegen.ts'], { cwd: root, stdio: 'pipe' });
    written.push(`subgraphs/${name}/resolvers/types.generated.ts`);
    // Formatted as biome formats the tree, so `npm run lint` stays clean; the files are complete without it.
    try {
      execFileSync(path.join(root, 'node_modules', '.bin', 'biome'), ['check', '--write', `subgraphs/${name}`, 'subgraphs/index.ts'], {
        cwd: root,
        stdio: 'ignore',
      });
    } catch {
      console.warn('biome did not format the new files: run `npm run format`.');
    }
    console.log(
      `Created ${written.join('\n        ')}\nNext: npm run compose, then write the system's tables, API and resolvers (CONTRIBUTING.md).`,
    );
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
