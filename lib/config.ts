import { z } from 'zod';

/**
 * A system's name. The list of systems is subgraphs/index.ts (the registry); lib does not know it,
 * because lib sits below the subgraphs: whoever needs the list passes it in.
 */
export type SubgraphName = string;

/** SUBGRAPH_<NAME>_URL: the URL of one subgraph in a distributed deployment, for any registered name. */
const SUBGRAPH_URL_VARIABLE = /^SUBGRAPH_([A-Z][A-Z0-9]*)_URL$/;

/** Also the base of the routing URLs composed into supergraph.graphql (gateway/compose.ts). */
export const DEFAULT_SUBGRAPH_PORT_BASE = 4101;

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Unset: loopback in development (the playground hands out a token there), all interfaces in production. */
  HOST: z.string().min(1).optional(),
  PORT: port.default(4000),
  DATABASE_URL: z
    .string()
    .url()
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  LEDGERLINE_DATA_DIR: z.string().min(1).default('.ledgerline'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** First port of the subgraphs when `npm start` runs them all; each takes the next one. */
  SUBGRAPH_PORT_BASE: port.default(DEFAULT_SUBGRAPH_PORT_BASE),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Repeated statements run as server-side prepared statements (lib/prepared-statements.ts). */
  DB_PREPARED_STATEMENTS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Apollo inline tracing (ftv1) costs time on every resolver; off unless asked for. */
  SUBGRAPH_INLINE_TRACING: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SEED_SCALE: z.coerce.number().positive().max(1000).default(1),
  /** How `npm start`'s gateway reaches its subgraphs: in-process (default, fastest) or over HTTP. */
  SUBGRAPH_TRANSPORT: z.enum(['in-process', 'http']).default('in-process'),
  /** Where a worker started alone serves /metrics and /health. */
  METRICS_PORT: port.default(9464),
  /** How long the gateway waits for a subgraph before that fetch fails (partial data and an error). */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** User tokens: exactly one of a shared secret (HS256), a PEM public key, or a JWKS URL. */
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_PUBLIC_KEY: z.string().includes('BEGIN PUBLIC KEY', { message: 'must be a PEM public key' }).optional(),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_ALGORITHM: z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA']).default('RS256'),
  AUTH_ISSUER: z.string().min(1).default('ledgerline'),
  AUTH_AUDIENCE: z.string().min(1).default('ledgerline'),
  /** The longest a user token may live (exp - iat), in seconds; tokens without exp are refused. */
  AUTH_MAX_TOKEN_LIFETIME: z.coerce
    .number()
    .int()
    .min(60)
    .max(31 * 86_400)
    .default(86_400),
  /** Shared by the gateway and the subgraphs to sign and check the forwarded principal. */
  GATEWAY_CONTEXT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Operations per minute per client (token subject, or address when unauthenticated), shared by every gateway replica. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  INTROSPECTION: z.enum(['true', 'false']).optional(),
  /** A JSON manifest { "<sha256>": "<document>" }: when set, only these documents are executed. */
  TRUSTED_DOCUMENTS_FILE: z.string().min(1).optional(),
  /** Browser origins allowed to call the gateway (comma-separated, e.g. https://portal.firm.example); none by default. */
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const origins = (v ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean);
      for (const o of origins)
        if (!/^https?:\/\/[^/\s]+$/.test(o))
          ctx.addIssue({ code: 'custom', message: `${o} is not an origin like https://app.example.com` });
      return origins;
    }),
  /** A static bearer token Prometheus may send for /metrics (else an operator or admin user token). */
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
});

const subgraphUrl = z.string().url();

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  /** LEDGERLINE_DATA_DIR was set: the data stays exactly there (no relocation, see database-runtime). */
  dataDirExplicit: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  subgraphPortBase: number;
  dbPoolSize: number;
  dbPreparedStatements: boolean;
  inlineTracing: boolean;
  seedScale: number;
  subgraphTransport: 'in-process' | 'http';
  metricsPort: number;
  subgraphTimeoutMs: number;
  /** METRICS_PORT was set: a worker that cannot bind it does not start (else it takes a free port). */
  metricsPortExplicit: boolean;
  auth: {
    secret?: string;
    publicKey?: string;
    jwksUrl?: string;
    algorithm: string;
    issuer: string;
    audience: string;
    maxTokenLifetimeSeconds: number;
  };
  contextSecret?: string;
  rateLimitPerMinute: number;
  introspection: boolean;
  trustedDocumentsFile?: string;
  corsOrigins: string[];
  metricsToken?: string;
  /** Explicit subgraph URLs (distributed deployment); missing ones default to the supergraph's routing URL. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
};

export class ConfigError extends Error {}

/** Validates the environment once; a bad value is one clear error naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
  const urlIssues: z.ZodIssue[] = [];
  for (const [key, value] of Object.entries(cleaned)) {
    const match = SUBGRAPH_URL_VARIABLE.exec(key);
    if (!match) continue;
    const url = subgraphUrl.safeParse(value);
    if (url.success) subgraphUrls[match[1].toLowerCase()] = url.data;
    else urlIssues.push(...url.error.issues.map((i) => ({ ...i, path: [key] })));
  }
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...urlIssues];
  if (!parsed.success || issues.length > 0) {
    const lines = issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const keys = [e.AUTH_SECRET, e.AUTH_PUBLIC_KEY, e.AUTH_JWKS_URL].filter(Boolean).length;
  if (keys > 1) throw new ConfigError('Invalid configuration:\n  AUTH_SECRET, AUTH_PUBLIC_KEY and AUTH_JWKS_URL: set only one');
  if (e.NODE_ENV === 'production' && keys === 0) {
    throw new ConfigError(
      'Invalid configuration:\n  NODE_ENV=production needs AUTH_SECRET, AUTH_PUBLIC_KEY or AUTH_JWKS_URL (the development signing key is refused in production)',
    );
  }
  if (e.NODE_ENV === 'production' && !e.GATEWAY_CONTEXT_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  NODE_ENV=production needs GATEWAY_CONTEXT_SECRET, shared by the gateway and the subgraphs',
    );
  }
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST ?? (e.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.LEDGERLINE_DATA_DIR,
    dataDirExplicit: cleaned.LEDGERLINE_DATA_DIR !== undefined,
    logLevel: e.LOG_LEVEL,
    subgraphPortBase: e.SUBGRAPH_PORT_BASE,
    dbPoolSize: e.DB_POOL_SIZE,
    dbPreparedStatements: e.DB_PREPARED_STATEMENTS,
    inlineTracing: e.SUBGRAPH_INLINE_TRACING,
    seedScale: e.SEED_SCALE,
    subgraphTransport: e.SUBGRAPH_TRANSPORT,
    metricsPort: e.METRICS_PORT,
    metricsPortExplicit: cleaned.METRICS_PORT !== undefined,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    auth: {
      secret: e.AUTH_SECRET,
      publicKey: e.AUTH_PUBLIC_KEY,
      jwksUrl: e.AUTH_JWKS_URL,
      algorithm: e.AUTH_ALGORITHM,
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      maxTokenLifetimeSeconds: e.AUTH_MAX_TOKEN_LIFETIME,
    },
    contextSecret: e.GATEWAY_CONTEXT_SECRET,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    introspection: e.INTROSPECTION ? e.INTROSPECTION === 'true' : e.NODE_ENV !== 'production',
    trustedDocumentsFile: e.TRUSTED_DOCUMENTS_FILE,
    corsOrigins: e.CORS_ORIGINS,
    metricsToken: e.METRICS_TOKEN,
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
