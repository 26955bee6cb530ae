import { type Kysely, sql } from 'kysely';
import { SUBGRAPH_NAMES } from '../../subgraphs/index.ts';

// Every system's schema, from the registry: a new system's rows are judged too.
const SCHEMAS: readonly string[] = SUBGRAPH_NAMES;
/**
 * Columns that point at shared things (people, companies, calendars, documents of any system) or
 * at sources of another kind: a value there says nothing about which customer it belongs to.
 */
const SHARED_REFERENCES = new Set([
  'legal_entity_id',
  'resource_id',
  'timesheet_id',
  'rate_card_id',
  'period_id',
  'task_id',
  'source_id',
  'source_line_id',
  'erp_payment_id',
  'reverses_id',
]);
/** Human-facing keys of a customer's objects that are as telling as their ids. */
const TELLING_VALUES = new Set(['code', 'number', 'invoice_number']);

/**
 * The customer every identifying value in the database belongs to, read from the tables, not from
 * the graph: customers own their ids; a row with a `customer_id` owns its id, its references to
 * other customer objects and its codes and numbers; a row without one belongs to the owner of the
 * row its foreign key names (an invoice line its invoice's); a journal entry to the one customer all
 * its lines name. A value two customers claim is left out: nobody's in particular.
 */
export async function ownershipOracle(db: Kysely<any>): Promise<Map<string, string>> {
  const claims = new Map<string, Set<string>>();
  const claim = (value: unknown, customer: unknown) => {
    if (typeof value !== 'string' || typeof customer !== 'string' || !value) return;
    const set = claims.get(value) ?? new Set<string>();
    claims.set(value, set.add(customer));
  };
  const columns = (
    await sql<{ table: string; column: string }>`
      select table_schema || '.' || table_name as table, column_name as column from information_schema.columns
       where table_schema = any(${SCHEMAS}) and data_type = 'text'`.execute(db)
  ).rows;
  const byTable = new Map<string, string[]>();
  for (const c of columns) byTable.set(c.table, [...(byTable.get(c.table) ?? []), c.column]);

  for (const r of (await sql<{ id: string }>`select id from crm.customers`.execute(db)).rows) claim(r.id, r.id);
  for (const [table, cols] of byTable) {
    if (!cols.includes('customer_id')) continue;
    const telling = cols.filter(
      (c) => c !== 'customer_id' && (c === 'id' || TELLING_VALUES.has(c) || (c.endsWith('_id') && !SHARED_REFERENCES.has(c))),
    );
    if (telling.length === 0) continue;
    const rows = await sql<
      Record<string, string>
    >`select customer_id, ${sql.join(telling.map((c) => sql.ref(c)))} from ${sql.table(table)}`.execute(db);
    for (const row of rows.rows) for (const c of telling) claim(row[c], row.customer_id);
  }
  const owner = (v: string) => {
    const set = claims.get(v);
    return set?.size === 1 ? [...set][0] : undefined;
  };

  // Rows without a customer of their own belong to the customer object their foreign key names.
  const keys = (
    await sql<{ child: string; col: string }>`
      select c.conrelid::regclass::text as child, a.attname as col
        from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
       where c.contype = 'f' and array_length(c.conkey, 1) = 1 and c.connamespace::regnamespace::text = any(${SCHEMAS})`.execute(db)
  ).rows;
  for (let pass = 0; pass < 2; pass++) {
    for (const { child, col } of keys) {
      const cols = byTable.get(child) ?? [];
      if (cols.includes('customer_id') || !cols.includes('id') || SHARED_REFERENCES.has(col) || child === 'crm.customers') continue;
      const rows = await sql<{ id: string; ref: string }>`select id, ${sql.ref(col)} as ref from ${sql.table(child)}`.execute(db);
      for (const r of rows.rows) {
        const o = owner(r.ref);
        if (o && !claims.has(r.id)) claim(r.id, o);
      }
    }
  }
  // The erp's row rule: an entry is the customer's whose name every one of its lines carries.
  const entries = await sql<{ id: string; customer_id: string }>`
    select journal_entry_id as id, min(customer_id) as customer_id from erp.journal_lines group by journal_entry_id
    having count(distinct customer_id) = 1 and count(*) = count(customer_id)`.execute(db);
  for (const e of entries.rows) claim(e.id, e.customer_id);

  const oracle = new Map<string, string>();
  for (const [value, set] of claims) if (set.size === 1) oracle.set(value, [...set][0]!);
  return oracle;
}

export type Leak = { path: string; value: string; owner: string };

/** Every string in an answer that belongs to a customer other than `customer`, with where it was. */
export function leaksIn(value: unknown, oracle: ReadonlyMap<string, string>, customer: string, path = '', out: Leak[] = []): Leak[] {
  if (typeof value === 'string') {
    const owner = oracle.get(value);
    if (owner !== undefined && owner !== customer) out.push({ path, value, owner });
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) leaksIn(v, oracle, customer, `${path}[${i}]`, out);
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) leaksIn(v, oracle, customer, path ? `${path}.${k}` : k, out);
  return out;
}
