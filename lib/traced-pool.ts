import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { inSpan, SpanKind, telemetryEnabled } from './telemetry.ts';

/** How much of a statement a span carries: enough to recognise it (values are parameters, never in the text). */
const MAX_STATEMENT = 2000;

/**
 * The pool as Kysely sees it, with a span per statement while tracing is on: the SQL of a request
 * appears under the subgraph span that ran it. Checked per statement, so a process that turns
 * tracing on after building its database still gets them; off, the query goes straight through.
 */
export function tracedPool(pool: PostgresPool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      return {
        query: ((textOrCursor: unknown, values?: unknown[]) => {
          if (typeof textOrCursor !== 'string' || !telemetryEnabled()) return client.query(textOrCursor as never, values as never);
          const text = textOrCursor;
          return inSpan(
            `db ${text.trimStart().split(/\s/, 1)[0]!.toLowerCase()}`,
            { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'db.query.text': text.slice(0, MAX_STATEMENT) } },
            () => client.query(text, values as never) as Promise<unknown>,
          );
        }) as unknown as PostgresPoolClient['query'],
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  };
}
