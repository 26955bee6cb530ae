import { type Kysely, sql, type Transaction } from 'kysely';
import { type GenerateOptions, generateWorld, worldCounts } from './generate.ts';
import { TABLE_ORDER, type TableName, type World } from './types.ts';

/** Rows per INSERT: big enough to amortise round trips, small enough to keep each JSON parameter a few MB. */
const CHUNK_ROWS = 5000;

export class SeedRefusedError extends Error {
  constructor(customers: number) {
    super(
      `Refusing to seed: crm.customers already has ${customers} row(s). The demo seed only fills an empty database (use --force with npm run seed to wipe and reseed).`,
    );
    this.name = 'SeedRefusedError';
  }
}

/** True when crm.customers has no rows: `npm start` seeds only then. */
export async function isDatabaseEmpty(db: Kysely<any>): Promise<boolean> {
  const r = await sql<{ has: boolean }>`select exists (select 1 from crm.customers) as has`.execute(db);
  return !r.rows[0]!.has;
}

/**
 * Writes a generated world into the six schemas in one transaction, table by table in foreign-key
 * order, as chunked multi-row inserts from a JSON array (`json_populate_recordset`): one statement per
 * 5,000 rows. Identity columns and omitted columns take their defaults. The deferred balance trigger
 * on journal lines checks every entry at commit.
 */
export async function writeWorld(
  db: Kysely<any>,
  world: World,
  opts: { onTable?: (table: TableName, rows: number, ms: number) => void } = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await writeTables(trx, world, opts.onTable);
  });
  await analyzeTables(db);
}

/** Fresh planner statistics: after a bulk load autovacuum has not looked yet, and plans would assume empty tables. */
export async function analyzeTables(db: Kysely<any>): Promise<void> {
  await sql`analyze ${sql.join(TABLE_ORDER.map((t) => sql.table(t)))}`.execute(db);
}

async function writeTables(
  trx: Transaction<any>,
  world: World,
  onTable?: (table: TableName, rows: number, ms: number) => void,
): Promise<void> {
  for (const table of TABLE_ORDER) {
    const rows = world.tables[table] as readonly object[];
    const started = performance.now();
    if (rows.length > 0) {
      const cols = Object.keys(rows[0]!);
      const colList = sql.join(cols.map((c) => sql.id(c)));
      const target = sql.table(table);
      for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
        const json = JSON.stringify(rows.slice(i, i + CHUNK_ROWS));
        await sql`insert into ${target} (${colList}) select ${colList} from json_populate_recordset(null::${target}, ${json}::json)`.execute(
          trx,
        );
      }
    }
    onTable?.(table, rows.length, performance.now() - started);
  }
}

/**
 * Registers that triggers fill from the seeded tables (each system's one customer per project or
 * invoice). Emptied with them: a reseed at another scale may give a project id to another customer.
 */
const DERIVED_TABLES = ['erp.project_customers', 'sync.project_customers', 'sync.invoice_customers'] as const;

/** Empties every table the seed fills (for `npm run seed -- --force`). */
export async function resetDatabase(db: Kysely<any>): Promise<void> {
  const list = sql.join([...[...TABLE_ORDER].reverse(), ...DERIVED_TABLES].map((t) => sql.table(t)));
  await sql`truncate ${list} restart identity cascade`.execute(db);
}

export type SeedOptions = GenerateOptions;
export type SeedResult = { world: World; counts: Record<string, number>; generateMs: number; writeMs: number };

/**
 * Generates the demo firm and writes it. Refuses (SeedRefusedError) when crm.customers already has
 * rows; the check runs under a table lock inside the writing transaction, so two processes starting
 * at once cannot both seed.
 */
export async function seedDemo(db: Kysely<any>, options: SeedOptions): Promise<SeedResult> {
  const t0 = performance.now();
  const world = generateWorld(options);
  const t1 = performance.now();
  await db.transaction().execute(async (trx) => {
    await sql`lock table crm.customers in share row exclusive mode`.execute(trx);
    const existing = await sql<{ n: number }>`select count(*)::int as n from crm.customers`.execute(trx);
    const n = existing.rows[0]!.n;
    if (n > 0) throw new SeedRefusedError(n);
    await writeTables(trx, world);
  });
  await analyzeTables(db);
  const t2 = performance.now();
  return { world, counts: worldCounts(world), generateMs: t1 - t0, writeMs: t2 - t1 };
}
