import { Kysely, PostgresDialect, type RawBuilder, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { fromDatabaseError } from './errors.ts';
import type { Logger } from './logger.ts';
import { preparingPool } from './prepared-statements.ts';
import { tracedPool } from './traced-pool.ts';

// pg returns int8 and numeric as strings to protect precision. Our int8 columns are money in minor
// units and counts: parse them to numbers, but refuse any value a double cannot hold exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${v} exceeds the exact integer range`);
  return n;
});
// DATE stays 'YYYY-MM-DD': a calendar date has no time zone, and Date objects would invent one.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

export type Db<T> = Kysely<T>;
export type Tx<T> = Transaction<T>;

/**
 * How long a new connection may take. Without a limit, a server that accepts TCP but never answers
 * (a wrong port, a hung proxy) left `npm run migrate` waiting forever instead of failing.
 */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Where a pool reports connections it lost; the process logger once one is configured (setPoolErrorReporter). */
let reportPoolError: (err: Error) => void = () => undefined;

/** Pool connection losses are logged by the process logger (they are not thrown: the query in flight fails). */
export function setPoolErrorReporter(report: (err: Error) => void): void {
  reportPoolError = report;
}

/** Entry points call this once: every pool of the process logs the connections it loses. */
export function logPoolErrors(logger: Logger): void {
  setPoolErrorReporter((err) =>
    logger.warn('database connection lost; the pool reconnects', { error: err.message, code: (err as { code?: string }).code }),
  );
}

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: 'ledgerline', connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A connection that breaks (server restart, failover, terminate) emits 'error' on its client.
  // The pool listens only while the client is idle; a checked-out client with no listener crashed
  // the process. Every client gets one for life: the query in flight fails, the process goes on,
  // and the pool replaces the connection.
  const report = (err: Error) => reportPoolError(err);
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  return pool;
}

export type DbOptions = {
  /** Sees every statement's text (tests and the benchmark count statements with it). */
  onQuery?: (sql: string) => void;
  /** Name the statements this process repeats, so PostgreSQL plans them once per connection (prepared-statements.ts). */
  preparedStatements?: boolean;
};

/**
 * Kysely over a shared pool. Each subgraph passes its own table map type, so the compiler refuses
 * any query against another system's schema.
 */
export function createDb<T>(pool: pg.Pool, { onQuery, preparedStatements = true }: DbOptions = {}): Kysely<T> {
  return new Kysely<T>({
    dialect: new PostgresDialect({ pool: tracedPool(preparedStatements ? preparingPool(pool) : pool) }),
    log: onQuery
      ? (event) => {
          if (event.level === 'query') onQuery(event.query.sql);
        }
      : undefined,
  });
}

/**
 * Runs a mutation in one transaction: everything or nothing. Constraint violations that escape the
 * application's own checks still reach the client as stable error codes.
 */
export async function inTransaction<T, R>(db: Kysely<T>, fn: (trx: Transaction<T>) => Promise<R>): Promise<R> {
  // Called inside a caller's transaction (a sync job composing several systems' APIs): join it, so
  // the job's effects across systems commit or roll back together.
  if (db.isTransaction) return fn(db as Transaction<T>);
  try {
    return await db.transaction().execute(fn);
  } catch (err) {
    throw fromDatabaseError(err) ?? err;
  }
}

/**
 * `column = any($1)` with the keys as one array parameter, for `.where(column, '=', anyOf(keys))`.
 * One statement text whatever the number of keys (an `in ($1, ..., $n)` list is a new text for
 * every n), so PostgreSQL plans it once per connection (prepared-statements.ts) and a batch of
 * thousands of keys stays one parameter.
 */
export function anyOf<T extends string>(keys: Iterable<T>): RawBuilder<T> {
  return sql<T>`any(${[...keys]})`;
}
