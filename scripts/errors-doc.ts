import { writeFileSync } from 'node:fs';
import { ERROR_CODES } from '../lib/errors.ts';

/** Renders docs/errors.md from the registry, so the documentation cannot drift from the code. */
export function renderErrorsDoc(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`);
  return `# Error codes

Every error a client can act on carries a stable \`extensions.code\`. Codes are never reused for a
different meaning. Mutations are transactional: an error means nothing was written.
Generated from \`lib/errors.ts\` by \`npx tsx scripts/errors-doc.ts\`; a test checks it is current.

| code | meaning |
|---|---|
${rows.join('\n')}

Errors that are not in this table are internal: outside development mode the client sees
\`INTERNAL_SERVER_ERROR\` with an \`errorId\`, and the full error is in the logs under the same id.
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc());
  console.log('docs/errors.md written');
}
