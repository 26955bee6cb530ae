import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { composeSupergraph } from '../gateway/compose.ts';
import { checkSchema } from '../gateway/schema-check.ts';

/**
 * Schema check: the API schema composed from this branch against the checked-in supergraph of the
 * base revision (SCHEMA_BASE_REF, default HEAD~1: the last reviewed state). Every breaking change
 * must be listed in SCHEMA_CHANGES.md by its path (e.g. `Customer.industry`) with a reason.
 */
const baseRef = process.env.SCHEMA_BASE_REF ?? 'HEAD~1';

let baseSdl: string;
try {
  baseSdl = execFileSync('git', ['show', `${baseRef}:supergraph.graphql`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
} catch {
  console.log(`Schema check skipped: no supergraph.graphql at ${baseRef} (first commit, or no git history).`);
  process.exit(0);
}
const composed = composeSupergraph();
if (!composed.ok) {
  console.error(`Composition failed:\n${composed.errors.join('\n')}`);
  process.exit(1);
}
const approved = readFileSync(new URL('../SCHEMA_CHANGES.md', import.meta.url), 'utf8');
const { changes, breaking, unapproved } = await checkSchema(baseSdl, composed.supergraphSdl, approved);
console.log(
  `Schema check against ${baseRef}: ${changes.length} change(s), ${breaking.length} breaking, ${breaking.length - unapproved.length} of them approved in SCHEMA_CHANGES.md.`,
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
