import { startLocalStack } from '../../gateway/local-stack.ts';
import { createDb, createPool } from '../../lib/db.ts';
import { createLogger } from '../../lib/logger.ts';
import type { PartContext } from '../context.ts';
import { BENCH_AS_OF } from '../data.ts';
import { gql } from '../http.ts';
import { OPERATIONS, type OperationName, operationContext } from '../operations.ts';
import { benchSecurity } from '../security.ts';

export type SqlCountRow = {
  operation: OperationName;
  first: number;
  statements: number;
  byStatementKind: Record<string, number>;
  errors: number;
};

/**
 * SQL statements per request: the stack in this process on a kysely log hook, each operation run once
 * to warm up and once counted, at two page sizes. A constant count across page sizes means no N+1.
 */
export async function runSqlCount(ctx: PartContext): Promise<SqlCountRow[]> {
  const statements: string[] = [];
  const pool = createPool(ctx.data.url, 10);
  const db = createDb<any>(pool, { onQuery: (sql) => statements.push(sql) });
  const stack = await startLocalStack({
    ...(await benchSecurity()),
    db,
    logger: createLogger('silent'),
    port: 0,
    host: '127.0.0.1',
    development: false,
  });
  const url = `http://127.0.0.1:${stack.gateway.port}/graphql`;
  const opCtx = await operationContext(pool, BENCH_AS_OF);
  const rows: SqlCountRow[] = [];
  try {
    for (const op of OPERATIONS) {
      for (const first of op.countFirsts) {
        const variables = op.variables(opCtx, first);
        await gql(url, op.query, variables);
        statements.length = 0;
        const r = await gql(url, op.query, variables);
        const byStatementKind: Record<string, number> = {};
        for (const s of statements) {
          const m = /\bfrom\s+"?(\w+)"?\."?(\w+)"?/i.exec(s);
          const k = m ? `${m[1]}.${m[2]}` : s.slice(0, 30);
          byStatementKind[k] = (byStatementKind[k] ?? 0) + 1;
        }
        if (process.env.BENCH_DEBUG_SQL) for (const s of statements) ctx.log(`    ${s.replace(/\s+/g, ' ').slice(0, 160)}`);
        rows.push({ operation: op.name, first, statements: statements.length, byStatementKind, errors: r.errors?.length ?? 0 });
        ctx.log(
          `  ${op.name.padEnd(16)} first=${String(first).padEnd(4)} ${statements.length} statements${r.errors ? ` (errors: ${JSON.stringify(r.errors).slice(0, 200)})` : ''}`,
        );
      }
    }
    return rows;
  } finally {
    await stack.stop();
    await db.destroy();
  }
}
