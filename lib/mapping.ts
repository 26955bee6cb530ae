import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { z } from 'zod';
import { SYNC_JOB_KINDS } from './job-kinds.ts';
import { isKnownCurrency } from './money.ts';

const accountCode = z.string().regex(/^\d{4}$/, 'must be a 4-digit account code');

/**
 * One flow's service-level objective: trigger-to-done latency targets for the median and the 95th
 * percentile, and the share of jobs that must finish within the p95 target (the rest is the error
 * budget). The objective stays below 1: a 100% objective leaves no budget to burn.
 */
const flowSloSchema = z
  .object({
    latencyP50Seconds: z.number().positive(),
    latencyP95Seconds: z.number().positive(),
    objective: z.number().gt(0).lt(1),
  })
  .refine((s) => s.latencyP50Seconds <= s.latencyP95Seconds, {
    message: 'latencyP50Seconds must not exceed latencyP95Seconds',
    path: ['latencyP50Seconds'],
  });

/** What a mapping file without an `slo` section gets (older files and test fixtures). */
export const DEFAULT_SLO = {
  default: { latencyP50Seconds: 30, latencyP95Seconds: 300, objective: 0.99 },
  flows: {},
  postingAccuracy: 0.98,
};

const sloSchema = z.object({
  default: flowSloSchema,
  // Keys are sync job kinds; a typo would silently leave a flow on the default target.
  flows: z.record(z.enum(SYNC_JOB_KINDS), flowSloSchema).default({}),
  postingAccuracy: z.number().gt(0).lt(1),
});

const mappingSchema = z
  .object({
    version: z.string().min(1),
    legalEntities: z.record(
      z.string().regex(/^LE-[A-Z]{2,}$/, 'legal entity ids look like LE-US'),
      z.object({
        name: z.string().min(1),
        country: z.string().length(2),
        functionalCurrency: z.string().refine(isKnownCurrency, 'unknown currency'),
        invoicePrefix: z.string().regex(/^[A-Z]{2,4}$/),
        accounts: z.object({
          cash: accountCode,
          receivable: accountCode,
          taxPayable: accountCode,
          accruedCost: accountCode,
          /** Unapplied cash and credit owed to customers (a liability, never netted into AR). */
          customerCredit: accountCode,
          /** Unbilled work accrued as revenue at a period end (reversed on the next period's first day). */
          unbilledRevenue: accountCode,
          /** Period-end revaluation of open foreign receivables; AR itself stays at the invoices' rates. */
          arRevaluation: accountCode,
          realizedFx: accountCode,
          unrealizedFx: accountCode,
          /** Conversion rounding of foreign-currency entries: never AR, never revenue. */
          rounding: accountCode,
          badDebt: accountCode,
          wipWriteOff: accountCode,
          retainedEarnings: accountCode,
        }),
      }),
    ),
    regions: z.record(z.string().min(1), z.string()),
    serviceLines: z.record(z.string().regex(/^[A-Z_]+$/), z.object({ revenueAccount: accountCode, costAccount: accountCode })),
    taxCodes: z.record(z.string().min(1), z.object({ rateBp: z.number().int().min(0).max(10000), description: z.string() })),
    chartOfAccounts: z
      .array(z.object({ code: accountCode, name: z.string().min(1), type: z.enum(['ASSET', 'LIABILITY', 'EQUITY', 'REVENUE', 'EXPENSE']) }))
      .min(1),
    closedPeriodPolicy: z.enum(['FAIL', 'NEXT_OPEN']),
    slo: sloSchema.default(DEFAULT_SLO),
    money: z.object({
      overpayment: z.enum(['CUSTOMER_CREDIT', 'REFUSE']),
      periods: z.object({ autoOpen: z.boolean() }),
      creditControl: z.object({
        onHold: z.object({ blockProjectActivation: z.boolean(), blockInvoicing: z.boolean() }),
        creditLimit: z.enum(['ACTIVATION', 'NONE']),
      }),
      wipWriteOff: z.enum(['STANDARD_VALUE', 'NONE']),
      periodEnd: z.object({ revalueReceivables: z.boolean(), accrueWip: z.boolean() }),
      fiscalYearStartMonth: z.number().int().min(1).max(12),
      fixedFeeSchedule: z.object({ instalments: z.number().int().min(1).max(60), intervalMonths: z.number().int().min(1).max(12) }),
    }),
  })
  .superRefine((m, ctx) => {
    const chart = new Map(m.chartOfAccounts.map((a) => [a.code, a.type]));
    for (const [region, le] of Object.entries(m.regions)) {
      if (!m.legalEntities[le]) ctx.addIssue({ code: 'custom', path: ['regions', region], message: `names unknown legal entity ${le}` });
    }
    for (const [id, le] of Object.entries(m.legalEntities)) {
      for (const [k, code] of Object.entries(le.accounts)) {
        if (!chart.has(code))
          ctx.addIssue({
            code: 'custom',
            path: ['legalEntities', id, 'accounts', k],
            message: `account ${code} is not in chartOfAccounts`,
          });
      }
    }
    for (const [sl, a] of Object.entries(m.serviceLines)) {
      if (chart.get(a.revenueAccount) !== 'REVENUE')
        ctx.addIssue({
          code: 'custom',
          path: ['serviceLines', sl, 'revenueAccount'],
          message: `${a.revenueAccount} is not a REVENUE account`,
        });
      if (chart.get(a.costAccount) !== 'EXPENSE')
        ctx.addIssue({ code: 'custom', path: ['serviceLines', sl, 'costAccount'], message: `${a.costAccount} is not an EXPENSE account` });
    }
  });

export type Mapping = z.infer<typeof mappingSchema>;
export type EntityAccounts = Mapping['legalEntities'][string]['accounts'];

export class MappingError extends Error {}

export const DEFAULT_MAPPING_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'config', 'mapping.yaml');

/** Parses and validates a mapping document; every problem is listed with its key path. */
export function parseMapping(text: string, source = 'mapping'): Mapping {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (err) {
    throw new MappingError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  const parsed = mappingSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new MappingError(`${source} is invalid:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function loadMapping(file = process.env.LEDGERLINE_MAPPING_FILE ?? DEFAULT_MAPPING_PATH): Mapping {
  return parseMapping(readFileSync(file, 'utf8'), file);
}

/** The legal entity that serves a sales region, or undefined when the mapping has none. */
export function legalEntityForRegion(m: Mapping, region: string): string | undefined {
  return m.regions[region];
}

export type FlowSlo = z.infer<typeof flowSloSchema>;

/** The SLO of a flow: its own entry, else the file's default. */
export function flowSlo(m: Mapping, kind: string): FlowSlo {
  return (m.slo.flows as Partial<Record<string, FlowSlo>>)[kind] ?? m.slo.default;
}

let cached: Mapping | undefined;

/**
 * The process's mapping, read once: for a subgraph built without one (a test of one system). The
 * composition root passes the mapping it validated at start-up instead.
 */
export function defaultMapping(): Mapping {
  cached ??= loadMapping();
  return cached;
}

/** For entry points: a bad mapping file stops the process with its message, not a stack trace. */
export function loadMappingOrExit(): Mapping {
  try {
    return loadMapping();
  } catch (err) {
    if (err instanceof MappingError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
      console.error((err as Error).message);
      process.exit(2);
    }
    throw err;
  }
}
