import { z } from 'zod';

/** The six systems of the hub, in the order they start and compose. */
export const SUBGRAPH_NAMES = ['crm', 'psa', 'time', 'billing', 'erp', 'sync'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(4000),
  DATABASE_URL: z
    .string()
    .url()
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  LEDGERLINE_DATA_DIR: z.string().min(1).default('.ledgerline'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** First port of the subgraphs when `npm start` runs them all; each takes the next one. */
  SUBGRAPH_PORT_BASE: port.default(4101),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Apollo inline tracing (ftv1) costs time on every resolver; off unless asked for. */
  SUBGRAPH_INLINE_TRACING: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SEED_SCALE: z.coerce.number().positive().max(1000).default(1),
  /** Where a worker started alone serves /metrics and /health. */
  METRICS_PORT: port.default(9464),
  ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [`SUBGRAPH_${n.toUpperCase()}_URL`, z.string().url().optional()])),
});

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  subgraphPortBase: number;
  dbPoolSize: number;
  inlineTracing: boolean;
  seedScale: number;
  metricsPort: number;
  /** Explicit subgraph URLs (distributed deployment); missing ones default to the supergraph's routing URL. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
};

export class ConfigError extends Error {}

/** Validates the environment once; a bad value is one clear error naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data as z.infer<typeof envSchema> & Record<string, string | undefined>;
  const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
  for (const n of SUBGRAPH_NAMES) {
    const url = e[`SUBGRAPH_${n.toUpperCase()}_URL`];
    if (url) subgraphUrls[n] = url;
  }
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.LEDGERLINE_DATA_DIR,
    logLevel: e.LOG_LEVEL,
    subgraphPortBase: e.SUBGRAPH_PORT_BASE,
    dbPoolSize: e.DB_POOL_SIZE,
    inlineTracing: e.SUBGRAPH_INLINE_TRACING,
    seedScale: e.SEED_SCALE,
    metricsPort: e.METRICS_PORT,
    subgraphUrls,
  };
}

/** For entry points: print the config error and exit instead of a stack trace. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
