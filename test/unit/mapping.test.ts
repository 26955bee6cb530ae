import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING_PATH, loadMapping, parseMapping } from '../../lib/mapping.ts';

const good = readFileSync(DEFAULT_MAPPING_PATH, 'utf8');

describe('mapping file', () => {
  it('the shipped mapping is valid and versioned', () => {
    const m = loadMapping();
    expect(m.version).toMatch(/\S/);
    expect(Object.keys(m.legalEntities)).toEqual(['LE-US', 'LE-DE']);
  });

  it('names the key of a region that points at an unknown legal entity', () => {
    expect(() => parseMapping(good.replace('EMEA: LE-DE', 'EMEA: LE-FR'))).toThrow(/regions\.EMEA: names unknown legal entity LE-FR/);
  });

  it('refuses a service line whose revenue account is not a revenue account', () => {
    expect(() => parseMapping(good.replace('revenueAccount: "4000"', 'revenueAccount: "1000"'))).toThrow(
      /serviceLines\.ADVISORY\.revenueAccount/,
    );
  });

  it('refuses a tax rate above 100%', () => {
    expect(() => parseMapping(good.replace('rateBp: 1900', 'rateBp: 19000'))).toThrow(/taxCodes\.DE-VAT19\.rateBp/);
  });

  it('refuses text that is not YAML', () => {
    expect(() => parseMapping('version: [unclosed')).toThrow(/not valid YAML/);
  });
});
