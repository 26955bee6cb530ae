import { readFileSync } from 'node:fs';
import { composeSupergraph } from '../gateway/compose.ts';
import { resolveSchemaBase, runGit } from '../gateway/schema-base.ts';
import { checkSchema } from '../gateway/schema-check.ts';

/**
 * Schema check: the API schema composed from this branch against the checked-in supergraph of its
 * base (gateway/schema-base.ts: the merge base with main, or the parent commit on main itself). Every
 * breaking change must be listed in SCHEMA_CHANGES.md by its path (e.g. `Customer.industry`) with a reason.
 */
const base = resolveSchemaBase(process.env);
if (base.kind === 'skip') {
  console.log(`Schema check skipped (${base.why}).`);
  process.exit(0);
}
if (base.kind === 'missing') {
  console.error(`Schema check failed: cannot find the revision to compare with: ${base.why}.`);
  process.exit(1);
}
const baseRef = base.ref;
const baseSdl = runGit(['show', `${baseRef}:supergraph.graphql`]);
if (baseSdl === undefined) {
  console.error(`Schema check failed: cannot read supergraph.graphql at ${baseRef}.`);
  process.exit(1);
}
const composed = composeSupergraph();
if (!composed.ok) {
  console.error(`Composition failed:\n${composed.errors.join('\n')}`);
  process.exit(1);
}
const approved = readFileSync(new URL('../SCHEMA_CHANGES.md', import.meta.url), 'utf8');
const { changes, breaking, unapproved } = await checkSchema(baseSdl, composed.supergraphSdl, approved);
console.log(
  `Schema check against ${baseRef.slice(0, 12)} (${base.why}): ${changes.length} change(s), ${breaking.length} breaking, ${breaking.length - unapproved.length} of them approved in SCHEMA_CHANGES.md.`,
);
const verbose = process.argv.includes('--verbose');
for (const c of changes)
  if (verbose || c.criticality.level !== 'NON_BREAKING') console.log(`  ${c.criticality.level.padEnd(13)} ${c.path ?? ''}: ${c.message}`);
if (unapproved.length) {
  console.error(
    `\nBreaking changes not listed in SCHEMA_CHANGES.md:\n${unapproved.map((c) => `  - \`${c.path}\`: ${c.message}`).join('\n')}`,
  );
  console.error(
    'Clients may break. Avoid the change (deprecate first), or list each path in SCHEMA_CHANGES.md with the reason and the client impact.',
  );
  process.exit(1);
}
