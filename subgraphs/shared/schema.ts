import { readFileSync } from 'node:fs';
import { type DefinitionNode, Kind, parse, visit } from 'graphql';

/** The value types the systems share (scalars, Money, PageInfo, shared enums), written once. */
export const VALUE_TYPES_FILE = new URL('./value-types.graphql', import.meta.url);

type Named = DefinitionNode & { name: { value: string } };

/** Each shared definition's name and its text as written, description included. */
function sharedDefinitions(): { name: string; text: string; uses: Set<string> }[] {
  const source = readFileSync(VALUE_TYPES_FILE, 'utf8');
  return parse(source).definitions.map((d) => {
    const def = d as Named;
    return { name: def.name.value, text: source.slice(def.loc!.start, def.loc!.end), uses: namedTypes(def) };
  });
}

function namedTypes(node: DefinitionNode | ReturnType<typeof parse>): Set<string> {
  const names = new Set<string>();
  visit(node, {
    NamedType: (n) => {
      names.add(n.name.value);
    },
  });
  return names;
}

/**
 * A subgraph's SDL as composition and the server see it: its own schema.graphql plus the shared value
 * types it uses (and what those use), placed after its `extend schema` line. Only the used ones, so
 * a system declares no shared type it does not answer with.
 */
export function loadSchema(file: URL): string {
  const own = readFileSync(file, 'utf8');
  const document = parse(own);
  const defined = new Set(
    document.definitions.filter((d) => d.kind !== Kind.SCHEMA_EXTENSION && 'name' in d).map((d) => (d as Named).name.value),
  );
  const shared = sharedDefinitions();
  const wanted = namedTypes(document);
  // A shared type may use another (none do today); follow the references until nothing new appears.
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of shared) if (wanted.has(d.name)) for (const u of d.uses) if (!wanted.has(u)) grew = wanted.add(u) !== undefined;
  }
  const included = shared.filter((d) => wanted.has(d.name) && !defined.has(d.name));
  if (included.length === 0) return own;
  const newline = own.indexOf('\n');
  return `${own.slice(0, newline + 1)}\n${included.map((d) => d.text).join('\n\n')}\n${own.slice(newline + 1)}`;
}
