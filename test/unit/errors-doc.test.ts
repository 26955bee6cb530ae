import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc } from '../../scripts/errors-doc.ts';

describe('error code documentation', () => {
  it('docs/errors.md lists exactly the codes of the registry (regenerate with npx tsx scripts/errors-doc.ts)', () => {
    expect(readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')).toBe(renderErrorsDoc());
  });
});
