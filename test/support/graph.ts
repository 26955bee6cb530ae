import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../gateway/local-stack.ts';
import type { GatewaySecurity } from '../../gateway/security.ts';
import type { Clock } from '../../lib/clock.ts';
import { createLogger } from '../../lib/logger.ts';
import type { Role } from '../../lib/principal.ts';
import { type SyncRuntime, type SyncTuning, startSync } from '../../sync-jobs/runtime.ts';
import { testClock } from './clock.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { mintToken, testSecurity } from './security.ts';

export type GraphResponse<T = any> = {
  status: number;
  body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[] };
};

export type TestGraph = {
  database: TestDatabase;
  stack: LocalStack;
  url: string;
  /** POSTs an operation to the gateway over HTTP, as any client would. */
  request: <T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<GraphResponse<T>>;
  /** A bearer token of the test signing key. */
  token: (claims: { role: Role; customerId?: string; sub?: string; ttl?: string }) => Promise<string>;
  adminToken: string;
  security: GatewaySecurity;
  sync: SyncRuntime | undefined;
  stop: () => Promise<void>;
};

/**
 * Boots the real thing on ephemeral ports: a fresh database, six subgraph HTTP servers and the gateway.
 * `prepare` runs on the empty migrated database before the servers start (seed it there).
 */
/**
 * `sync: true` runs the engine with workers in this process; 'enqueue-only' lets writes enqueue jobs
 * that only workers started elsewhere (a child process) will run.
 */
export async function startTestGraph(
  prepare?: (db: TestDatabase) => Promise<void>,
  opts: {
    sync?: boolean | 'enqueue-only';
    tuning?: SyncTuning;
    rateLimitPerMinute?: number;
    transport?: 'http' | 'in-process';
    /** Business time; a clock starting at TEST_NOW unless the test gives another. */
    clock?: Clock;
    /** Gateway settings a test varies (development mode, CORS, metrics token, trusted documents). */
    gateway?: Pick<Partial<LocalStackOptions>, 'development' | 'corsOrigins' | 'metricsToken' | 'trustedDocuments' | 'playgroundToken'>;
  } = {},
): Promise<TestGraph> {
  const database = await createTestDatabase();
  if (prepare) await prepare(database);
  const logger = createLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent');
  // The real engine (pg-boss workers in this process) when a test exercises sync flows.
  const clock = opts.clock ?? testClock();
  const sync = opts.sync
    ? await startSync({ connectionString: database.url, db: database.db, logger, work: opts.sync === true, clock, ...opts.tuning })
    : undefined;
  const security = await testSecurity();
  const stack = await startLocalStack({
    ...security,
    clock,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 1_000_000,
    introspection: true,
    // Over real HTTP by default, as a distributed deployment runs; the in-process path has its own tests.
    transport: opts.transport ?? (process.env.LEDGERLINE_TEST_TRANSPORT === 'in-process' ? 'in-process' : 'http'),
    db: database.db,
    sync: sync?.stackOptions,
    databaseUrl: database.url,
    logger,
    port: 0,
    host: '127.0.0.1',
    development: false,
    ...opts.gateway,
  });
  const url = stack.gateway.url;
  const adminToken = await mintToken({ role: 'admin' });
  return {
    database,
    stack,
    security,
    url,
    adminToken,
    token: mintToken,
    // As an admin unless the headers say otherwise (pass authorization: '' to send no token).
    request: async (query, variables, headers = {}) => {
      const auth = 'authorization' in headers ? headers.authorization : `Bearer ${adminToken}`;
      const { authorization: _drop, ...rest } = headers;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}), ...rest },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GraphResponse['body'] };
    },
    sync,
    stop: async () => {
      await stack.stop();
      await sync?.stop();
      await database.drop();
    },
  };
}
