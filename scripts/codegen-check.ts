import { existsSync, readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import config from '../codegen.ts';

/**
 * `npm run codegen:check` (part of `npm test`): regenerates the resolver and operation types in
 * memory and fails when a checked-in `*.generated.ts` differs, as compose:check does for
 * supergraph.graphql, so a schema change cannot land without the types checked against it.
 */
const outputs: { filename: string; content: string }[] = await generate({ ...config, silent: true }, false);
const stale = outputs.filter((o) => !existsSync(o.filename) || readFileSync(o.filename, 'utf8') !== o.content).map((o) => o.filename);
if (stale.length > 0) {
  console.error(`Generated types are out of date: run \`npm run codegen\` and commit the result.\n  ${stale.join('\n  ')}`);
  process.exit(1);
}
console.log(`Generated types are up to date (${outputs.length} files).`);
