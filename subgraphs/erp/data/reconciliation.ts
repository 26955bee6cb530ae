import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { ErpDatabase } from './tables.ts';

// Read-only aggregates for the hub's reconciliation (subgraphs/sync/reconciliation): grouped rows per
// customer or digest bucket, never one row per journal line.

type Db = Kysely<ErpDatabase> | Transaction<ErpDatabase>;

/** Same digest as billing/data/reconciliation.ts (256 md5 buckets, 28-bit hash sum); keep them identical. */
const bucketOf = (id: RawBuilder<unknown>) => sql<number>`get_byte(decode(md5(${id}), 'hex'), 0)`;
const hashOf = (id: RawBuilder<unknown>) => sql<number>`('x' || substr(md5(${id}), 3, 7))::bit(28)::int`;

export type DigestRow = { bucket: number; count: number; fingerprint: number };

/** Digest of the invoice ids the ledger has an INVOICE journal entry for (one per invoice and legal entity). */
export async function postedInvoiceDigest(db: Db): Promise<DigestRow[]> {
  const r = await sql<DigestRow>`
    select ${bucketOf(sql`source_id`)} as bucket, count(*)::int as count, sum(${hashOf(sql`source_id`)})::bigint as fingerprint
    from (select distinct source_id from erp.journal_entries where source_type = 'INVOICE') s
    group by 1 order by 1`.execute(db);
  return r.rows;
}

/** Invoice ids with an INVOICE journal entry, in the given digest buckets only. */
export async function postedInvoiceIdsInBuckets(db: Db, buckets: readonly number[]): Promise<string[]> {
  if (buckets.length === 0) return [];
  const r = await sql<{ source_id: string }>`
    select distinct source_id from erp.journal_entries
    where source_type = 'INVOICE' and ${bucketOf(sql`source_id`)} = any(${[...buckets]}::int[])`.execute(db);
  return r.rows.map((x) => x.source_id);
}

export type ReceivableOpenRow = { customer_id: string; currency: string; open_minor: number; receivable_count: number };

/** Open receivables per customer and currency; all customers when `customerIds` is null. */
export async function receivableOpenByCustomer(db: Db, customerIds: readonly string[] | null): Promise<ReceivableOpenRow[]> {
  const r = await sql<ReceivableOpenRow>`
    select customer_id, currency, sum(open_minor)::bigint as open_minor, count(*)::int as receivable_count
    from erp.receivables
    ${customerIds ? sql`where customer_id = any(${[...customerIds]}::text[])` : sql``}
    group by customer_id, currency
    order by customer_id, currency`.execute(db);
  return r.rows;
}

/** Which of these customers have a financial master. */
export async function customersWithMaster(db: Db, customerIds: readonly string[]): Promise<string[]> {
  if (customerIds.length === 0) return [];
  const r = await sql<{ customer_id: string }>`
    select customer_id from erp.customer_masters where customer_id = any(${[...customerIds]}::text[])`.execute(db);
  return r.rows.map((x) => x.customer_id);
}
