import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING_PATH, DEFAULT_SLO, flowSlo, loadMapping, parseMapping } from '../../lib/mapping.ts';

const good = readFileSync(DEFAULT_MAPPING_PATH, 'utf8');

describe('mapping file: SLO targets', () => {
  it('the shipped file gives every flow a target, its own or the default', () => {
    const m = loadMapping();
    expect(flowSlo(m, 'OPPORTUNITY_WON')).toEqual({ latencyP50Seconds: 10, latencyP95Seconds: 60, objective: 0.99 });
    expect(flowSlo(m, 'INVOICE_ISSUED').objective).toBe(0.995);
    expect(m.slo.postingAccuracy).toBe(0.98);
  });

  it('a flow the file does not list falls back to the default target', () => {
    const m = parseMapping(good.replace(/^ {4}RATE_CARD_CHANGED:.*\n/m, ''));
    expect(m.slo.flows.RATE_CARD_CHANGED).toBeUndefined();
    expect(flowSlo(m, 'RATE_CARD_CHANGED')).toEqual(m.slo.default);
  });

  it('a file without an slo section gets the documented defaults', () => {
    const m = parseMapping(good.replace(/\nslo:[\s\S]*$/, '\n'));
    expect(m.slo).toEqual(DEFAULT_SLO);
  });

  it('names the key of a flow that is not a sync job kind', () => {
    expect(() => parseMapping(good.replace('    OPPORTUNITY_WON: {', '    OPPORTUNITY_LOST: {'))).toThrow(/slo\.flows\.OPPORTUNITY_LOST/);
  });

  it('refuses a p50 target above the p95 target', () => {
    expect(() =>
      parseMapping(good.replace('OPPORTUNITY_WON: { latencyP50Seconds: 10,', 'OPPORTUNITY_WON: { latencyP50Seconds: 600,')),
    ).toThrow(/slo\.flows\.OPPORTUNITY_WON\.latencyP50Seconds: latencyP50Seconds must not exceed latencyP95Seconds/);
  });

  it('refuses an objective of 100%, which leaves no error budget', () => {
    expect(() => parseMapping(good.replace('objective: 0.995 }', 'objective: 1 }'))).toThrow(/slo\.flows\.INVOICE_ISSUED\.objective/);
  });

  it('refuses a posting accuracy target that is not a share', () => {
    expect(() => parseMapping(good.replace('postingAccuracy: 0.98', 'postingAccuracy: 98'))).toThrow(/slo\.postingAccuracy/);
  });
});
