import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * Server-side prepared statements for the statements a process runs again and again.
 *
 * PostgreSQL parses, analyses and plans every unnamed statement from scratch. The read path runs a
 * few dozen statement texts thousands of times, most of them keyed lookups whose planning costs as
 * much as their execution: naming them (pg's `{ name, text, values }`) lets each connection parse
 * once and reuse the plan. In the read benchmark that took 20-30% off PostgreSQL's CPU per request
 * (bench/README.md).
 *
 * Which texts get a name, and why the limits:
 * - only DML (select / insert / update / delete / with), never `begin`, `set` or DDL;
 * - only after a text has run MIN_USES times in this process, so one-off statements (a sync batch's
 *   2,000-row insert, an `in (...)` list of an unusual length) stay unnamed;
 * - at most MAX_PARAMS parameters, for the same reason;
 * - at most MAX_STATEMENTS names per process. A named statement lives on its connection until the
 *   connection closes, so this bounds the server memory: at most MAX_STATEMENTS plans per pooled
 *   connection. Texts beyond the bound simply run unnamed.
 *
 * A schema change under a running process (another version's migration during a rolling deploy) can
 * change the rows of a prepared `select *`: PostgreSQL then refuses the statement ("cached plan must
 * not change result type"). That text is never named again in this process; outside a transaction
 * the statement is rerun unnamed at once, inside one the error ends the transaction as any other
 * would, and the caller's retry runs unnamed.
 *
 * Turn it off (DB_PREPARED_STATEMENTS=false) behind a pooler that does not keep session state across
 * transactions, such as PgBouncer in transaction mode before 1.21.
 */
const MIN_USES = 3;
const MAX_PARAMS = 100;
const MAX_STATEMENTS = 500;
/** Texts seen fewer than MIN_USES times are counted in a map this large at most (then it starts over). */
const MAX_COUNTED = 10_000;
const DML = /^\s*(select|insert|update|delete|with)\b/i;

export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly uses = new Map<string, number>();
  private readonly refused = new Set<string>();

  constructor(private readonly limits = { minUses: MIN_USES, maxParams: MAX_PARAMS, maxStatements: MAX_STATEMENTS }) {}

  /** The name to prepare `text` under, or undefined to run it unnamed. */
  nameFor(text: string, paramCount: number): string | undefined {
    const known = this.names.get(text);
    if (known) return known;
    if (paramCount > this.limits.maxParams || this.names.size >= this.limits.maxStatements || !DML.test(text) || this.refused.has(text))
      return undefined;
    const uses = (this.uses.get(text) ?? 0) + 1;
    if (uses < this.limits.minUses) {
      if (this.uses.size >= MAX_COUNTED) this.uses.clear();
      this.uses.set(text, uses);
      return undefined;
    }
    this.uses.delete(text);
    // A digest of the text: the same text has the same name on every connection, and two texts never share one.
    const name = `ll_${createHash('sha1').update(text).digest('base64url')}`;
    this.names.set(text, name);
    return name;
  }

  /** Never name `text` again: its prepared form went stale (see above). */
  refuse(text: string): void {
    this.names.delete(text);
    this.uses.delete(text);
    this.refused.add(text);
  }

  get size(): number {
    return this.names.size;
  }
}

/** The pool as Kysely sees it, with each client's statements named by `names`. */
export function preparingPool(pool: pg.Pool, names = new StatementNames()): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      return {
        query: ((textOrCursor: unknown, values?: unknown[]) => {
          if (typeof textOrCursor !== 'string') return client.query(textOrCursor as pg.Submittable);
          const name = names.nameFor(textOrCursor, values?.length ?? 0);
          return name ? queryNamed(client, names, name, textOrCursor, values) : client.query(textOrCursor, values);
        }) as unknown as PostgresPoolClient['query'],
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  };
}

async function queryNamed(client: pg.PoolClient, names: StatementNames, name: string, text: string, values: unknown[] | undefined) {
  const inTransaction = client.getTransactionStatus() !== 'I';
  try {
    return await client.query({ name, text, values });
  } catch (err) {
    if (!isStalePlan(err)) throw err;
    names.refuse(text);
    if (inTransaction) throw err;
    return client.query(text, values);
  }
}

/** PostgreSQL's refusal of a prepared statement whose result columns changed since it was planned. */
function isStalePlan(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}
