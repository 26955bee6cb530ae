import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { BillingDatabase, BillingModel } from './tables.ts';

// Read-only aggregates for the hub's reconciliation (subgraphs/sync/reconciliation): grouped rows per
// project, customer or digest bucket, never one row per billable item.

type Db = Kysely<BillingDatabase> | Transaction<BillingDatabase>;

/**
 * Digest of a set of document ids, in 256 buckets: (bucket, count, sum of a 28-bit hash). Two systems
 * holding the same ids produce the same digest, so only the buckets that differ need listing. The
 * same expression lives in erp/data/reconciliation.ts; md5 keeps it identical on any PostgreSQL.
 */
const bucketOf = (id: RawBuilder<unknown>) => sql<number>`get_byte(decode(md5(${id}), 'hex'), 0)`;
const hashOf = (id: RawBuilder<unknown>) => sql<number>`('x' || substr(md5(${id}), 3, 7))::bit(28)::int`;

export type DigestRow = { bucket: number; count: number; fingerprint: number };

/** Billing's T&M/fixed/milestone position of one project (per currency of its items). */
export type ProjectPositionRow = {
  project_id: string;
  customer_id: string;
  /** null when billing has items for a project it has no rule for. */
  billing_model: BillingModel | null;
  currency: string;
  /** Time-entry items in any status: one per approved billable T&M entry. */
  item_count: number;
  item_source_minutes: number;
  unbilled_count: number;
  unbilled_minutes: number;
  invoiced_count: number;
  written_off_count: number;
  /** UNBILLED item amounts by age of the work day at `asOf`: 0-30, 31-60, 61-90, >90 days. */
  unbilled_minor_0_30: number;
  unbilled_minor_31_60: number;
  unbilled_minor_61_90: number;
  unbilled_minor_over_90: number;
};

/** One row per project with a billing rule or with billable items. */
export async function projectPositions(db: Db, asOf: string): Promise<ProjectPositionRow[]> {
  const r = await sql<ProjectPositionRow>`
    with i as (
      select project_id, currency, min(customer_id) as customer_id,
             count(*)::int as item_count,
             sum(source_minutes)::bigint as item_source_minutes,
             count(*) filter (where status = 'UNBILLED')::int as unbilled_count,
             count(*) filter (where status = 'INVOICED')::int as invoiced_count,
             count(*) filter (where status = 'WRITTEN_OFF')::int as written_off_count,
             coalesce(sum(minutes) filter (where status = 'UNBILLED'), 0)::bigint as unbilled_minutes,
             coalesce(sum(amount_minor) filter (where status = 'UNBILLED' and ${asOf}::date - work_date <= 30), 0)::bigint as unbilled_minor_0_30,
             coalesce(sum(amount_minor) filter (where status = 'UNBILLED' and ${asOf}::date - work_date between 31 and 60), 0)::bigint as unbilled_minor_31_60,
             coalesce(sum(amount_minor) filter (where status = 'UNBILLED' and ${asOf}::date - work_date between 61 and 90), 0)::bigint as unbilled_minor_61_90,
             coalesce(sum(amount_minor) filter (where status = 'UNBILLED' and ${asOf}::date - work_date > 90), 0)::bigint as unbilled_minor_over_90
      from billing.billable_items
      where source_type = 'TIME_ENTRY'
      group by project_id, currency
    )
    select coalesce(r.project_id, i.project_id) as project_id, coalesce(r.customer_id, i.customer_id) as customer_id,
           r.billing_model, coalesce(i.currency, r.currency) as currency,
           coalesce(i.item_count, 0) as item_count, coalesce(i.item_source_minutes, 0) as item_source_minutes,
           coalesce(i.unbilled_count, 0) as unbilled_count, coalesce(i.unbilled_minutes, 0) as unbilled_minutes,
           coalesce(i.invoiced_count, 0) as invoiced_count, coalesce(i.written_off_count, 0) as written_off_count,
           coalesce(i.unbilled_minor_0_30, 0) as unbilled_minor_0_30, coalesce(i.unbilled_minor_31_60, 0) as unbilled_minor_31_60,
           coalesce(i.unbilled_minor_61_90, 0) as unbilled_minor_61_90, coalesce(i.unbilled_minor_over_90, 0) as unbilled_minor_over_90
    from billing.rules r full join i on i.project_id = r.project_id
    order by 1, 4`.execute(db);
  return r.rows;
}

export type StaleItemsRow = {
  project_id: string;
  currency: string;
  item_count: number;
  minutes: number;
  amount_minor: number;
  oldest_work_date: string;
  /** The earliest day one of these items should have been invoiced by (see staleUnbilledItems). */
  due_since: string;
  days_overdue: number;
  /** Numbers of UNBILL credit memos that released some of these items, if any. */
  released_by: string[];
};

/**
 * UNBILLED items more than `staleAfterDays` past their billing month, per project. T&M bills monthly in
 * arrears, so an item is due for invoicing at the end of the month of its work day; an item an UNBILL
 * credit memo released (its invoice's period covers the work day) is due again at the end of the
 * memo's month, when the next billing run can re-bill it.
 */
export async function staleUnbilledItems(db: Db, asOf: string, staleAfterDays: number): Promise<StaleItemsRow[]> {
  const r = await sql<StaleItemsRow>`
    with released as (
      select i.project_id, i.period_start, i.period_end, m.issue_date, m.number
      from billing.credit_memos m join billing.invoices i on i.id = m.invoice_id
      where m.time_disposition = 'UNBILL' and i.period_start is not null and i.period_end is not null
    ), items as (
      select b.project_id, b.currency, b.minutes, b.amount_minor, b.work_date, rel.numbers,
             (date_trunc('month', greatest(b.work_date, coalesce(rel.released_on, b.work_date))) + interval '1 month - 1 day')::date as due
      from billing.billable_items b
      left join lateral (
        select max(x.issue_date) as released_on, array_agg(distinct x.number) as numbers
        from released x where x.project_id = b.project_id and b.work_date between x.period_start and x.period_end
      ) rel on true
      where b.status = 'UNBILLED'
    )
    select project_id, currency, count(*)::int as item_count, sum(minutes)::bigint as minutes, sum(amount_minor)::bigint as amount_minor,
           min(work_date) as oldest_work_date, min(due) as due_since, (${asOf}::date - min(due))::int as days_overdue,
           coalesce(array_agg(distinct n) filter (where n is not null), '{}') as released_by
    from items left join lateral unnest(coalesce(numbers, '{}'::text[])) as n on true
    where ${asOf}::date - due > ${staleAfterDays}
    group by project_id, currency
    order by project_id, currency`.execute(db);
  return r.rows;
}

/** Digest of the ids of issued invoices (every status but DRAFT and VOID). */
export async function issuedInvoiceDigest(db: Db): Promise<DigestRow[]> {
  const r = await sql<DigestRow>`
    select ${bucketOf(sql`id`)} as bucket, count(*)::int as count, sum(${hashOf(sql`id`)})::bigint as fingerprint
    from billing.invoices where status not in ('DRAFT', 'VOID')
    group by 1 order by 1`.execute(db);
  return r.rows;
}

export type IssuedInvoiceRow = {
  id: string;
  number: string | null;
  customer_id: string;
  project_id: string;
  currency: string;
  total_minor: number;
  issue_date: string | null;
  status: string;
};

/** Issued invoices whose id falls in the given digest buckets: only the buckets that disagree are listed. */
export async function issuedInvoicesInBuckets(db: Db, buckets: readonly number[]): Promise<IssuedInvoiceRow[]> {
  if (buckets.length === 0) return [];
  const r = await sql<IssuedInvoiceRow>`
    select id, number, customer_id, project_id, currency, total_minor, issue_date, status
    from billing.invoices
    where status not in ('DRAFT', 'VOID') and ${bucketOf(sql`id`)} = any(${[...buckets]}::int[])
    order by issue_date, number`.execute(db);
  return r.rows;
}

export type OpenBalanceRow = { customer_id: string; currency: string; open_minor: number; invoice_count: number };

/** Open balance (total - paid - credited - written off) of issued invoices per customer and currency; all customers when `customerIds` is null. */
export async function openBalanceByCustomer(db: Db, customerIds: readonly string[] | null): Promise<OpenBalanceRow[]> {
  const r = await sql<OpenBalanceRow>`
    select customer_id, currency, sum(total_minor - paid_minor - credited_minor - written_off_minor)::bigint as open_minor, count(*)::int as invoice_count
    from billing.invoices
    where status not in ('DRAFT', 'VOID') ${customerIds ? sql`and customer_id = any(${[...customerIds]}::text[])` : sql``}
    group by customer_id, currency
    order by customer_id, currency`.execute(db);
  return r.rows;
}

export type CustomerInvoiceCountRow = { customer_id: string; invoice_count: number };

/** How many invoices (any status) each of these customers has; customers with none get no row. */
export async function invoiceCountsOfCustomers(db: Db, customerIds: readonly string[]): Promise<CustomerInvoiceCountRow[]> {
  if (customerIds.length === 0) return [];
  const r = await sql<CustomerInvoiceCountRow>`
    select customer_id, count(*)::int as invoice_count from billing.invoices
    where customer_id = any(${[...customerIds]}::text[]) group by customer_id`.execute(db);
  return r.rows;
}
