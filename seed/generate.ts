import { loadMapping, type Mapping } from '../lib/mapping.ts';
import { addMonths, dayStr, monthStart, parseDay } from './dates.ts';
import { Rng } from './rng.ts';
import { emptyTables, type World } from './types.ts';
import { generateBilling } from './world/billing.ts';
import type { GenContext } from './world/context.ts';
import { fitCreditLimits } from './world/credit-limits.ts';
import { generateCustomers } from './world/customers.ts';
import { generateErpSetup } from './world/erp-setup.ts';
import { generateLedger } from './world/ledger.ts';
import { generateOpportunities } from './world/opportunities.ts';
import { generateProjects, generateResources } from './world/psa.ts';
import { generateRateCards } from './world/rates.ts';
import { generateSync } from './world/sync.ts';
import { generateTime } from './world/time.ts';

export type GenerateOptions = {
  /** Multiplies customers, resources, opportunities, projects and so time. Default 1. */
  scale?: number;
  /** PRNG seed. Default 42. */
  seed?: number;
  /** YYYY-MM-DD: the demo's "today". Callers that want the current week pass `defaultAsOf(clock.now())`. */
  asOf: string;
  /** Default: config/mapping.yaml (or LEDGERLINE_MAPPING_FILE). */
  mapping?: Mapping;
};

/**
 * Builds a complete, consistent demo firm in memory: every row of the six systems' tables. Pure in its
 * inputs: the same scale, seed, as-of date and mapping give deep-equal worlds (no clock, no
 * Math.random inside).
 */
export function generateWorld(options: GenerateOptions): World {
  const scale = options.scale ?? 1;
  const seed = options.seed ?? 42;
  if (!(scale > 0 && scale <= 1000)) throw new RangeError(`scale must be in (0, 1000], got ${scale}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const asOf = options.asOf;
  const asOfDay = parseDay(asOf);
  const mapping = options.mapping ?? loadMapping();

  const ctx: GenContext = {
    seed,
    scale,
    asOfDay,
    mapping,
    tables: emptyTables(),
    rng: (label) => Rng.derive(seed, label),
    firstPeriodDay: addMonths(asOfDay, -12),
    // A month is invoiced once it is four weeks behind "as of": approved time (older than three weeks)
    // after this day is always there as WIP, whatever day of the month "as of" falls on.
    billingCutoffDay: monthStart(asOfDay - 28),
    periods: new Map(),
    customers: [],
    resources: [],
    projects: [],
    entries: [],
    rateCards: new Map(),
    deals: [],
    highlights: {
      customersWithoutMaster: [],
      customerWithoutTaxCode: '',
      opportunitiesReadyToWin: [],
      opportunityWithoutTaxCode: '',
      opportunitiesWithoutMaster: [],
      fullCreditMemo: null,
      partialCreditMemo: null,
      billingCutoff: '',
    },
    journalEntryIdOf: new Map(),
  };
  ctx.highlights.billingCutoff = dayStr(ctx.billingCutoffDay);

  generateErpSetup(ctx);
  generateCustomers(ctx);
  generateRateCards(ctx);
  generateResources(ctx);
  generateOpportunities(ctx);
  generateProjects(ctx);
  generateTime(ctx);
  const facts = generateBilling(ctx);
  generateLedger(ctx, facts);
  generateSync(ctx, facts);
  fitCreditLimits(ctx);

  return { seed, scale, asOf, mappingVersion: mapping.version, tables: ctx.tables, highlights: ctx.highlights };
}

/** Rows per table, in write order. */
export function worldCounts(world: World): Record<string, number> {
  return Object.fromEntries(Object.entries(world.tables).map(([t, rows]) => [t, rows.length]));
}
