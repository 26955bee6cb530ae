import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_FILE } from '../gateway/compose.ts';

/**
 * `npm run compose` writes supergraph.graphql; `npm run compose:check` fails when the checked-in file
 * differs from a fresh composition (the schema check CI runs).
 */
const check = process.argv.includes('--check');
const result = composeSupergraph();
if (!result.ok) {
  console.error(`Composition failed:\n${result.errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exit(1);
}
if (check) {
  const current = existsSync(SUPERGRAPH_FILE) ? readFileSync(SUPERGRAPH_FILE, 'utf8') : '';
  if (current !== result.supergraphSdl) {
    console.error('supergraph.graphql is out of date with the subgraph schemas: run `npm run compose` and commit the result.');
    process.exit(1);
  }
  console.log('supergraph.graphql is up to date.');
} else {
  writeFileSync(SUPERGRAPH_FILE, result.supergraphSdl);
  console.log(`Composed ${result.subgraphs.join(', ')} into supergraph.graphql.`);
}
