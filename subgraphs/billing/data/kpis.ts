import { type Kysely, sql, type Transaction } from 'kysely';
import type { BillingDatabase } from './tables.ts';

// Read-only aggregates for the hub's KPIs (subgraphs/sync/kpis): grouped rows per project and
// calendar bucket (or per timesheet week), never one row per billable item or invoice.

type Db = Kysely<BillingDatabase> | Transaction<BillingDatabase>;

/** A calendar bucket as PostgreSQL's date_trunc names it (weeks start on Monday). */
export type TruncUnit = 'day' | 'week' | 'month';

export type InvoicedWeekRow = { project_id: string; resource_id: string; week_start: string; issue_date: string; minutes: number };

/**
 * Recorded minutes of time invoiced on invoices issued `from`..`to`, per project, resource, work week
 * and issue day: with the time system's approval day of that resource's week, the approved-time-to-
 * invoice cycle of every invoiced hour.
 */
export async function invoicedTimeByWeek(db: Db, from: string, to: string): Promise<InvoicedWeekRow[]> {
  const r = await sql<InvoicedWeekRow>`
    select i.project_id, b.resource_id, date_trunc('week', b.work_date::timestamp)::date as week_start, i.issue_date,
           sum(b.source_minutes)::bigint as minutes
    from billing.billable_items b
    join billing.invoice_lines l on l.id = b.invoice_line_id
    join billing.invoices i on i.id = l.invoice_id
    where i.status not in ('DRAFT', 'VOID') and i.issue_date between ${from}::date and ${to}::date
    group by 1, 2, 3, 4`.execute(db);
  return r.rows;
}

export type InvoiceCorrectionRow = { project_id: string; period: string; issued: number; credited: number; reissued: number };

/**
 * Invoices issued `from`..`to` per project and bucket of the issue day: how many, how many a credit
 * memo corrected since, and how many of those released their time to be billed again (UNBILL).
 */
export async function invoiceCorrections(db: Db, from: string, to: string, unit: TruncUnit): Promise<InvoiceCorrectionRow[]> {
  const r = await sql<InvoiceCorrectionRow>`
    with memos as (
      select invoice_id, bool_or(time_disposition = 'UNBILL') as unbill from billing.credit_memos group by invoice_id
    )
    select i.project_id, date_trunc(${unit}, i.issue_date::timestamp)::date as period, count(*)::int as issued,
           count(m.invoice_id)::int as credited, count(*) filter (where m.unbill)::int as reissued
    from billing.invoices i left join memos m on m.invoice_id = i.id
    where i.status not in ('DRAFT', 'VOID') and i.issue_date between ${from}::date and ${to}::date
    group by 1, 2`.execute(db);
  return r.rows;
}

export type LeakageRow = { project_id: string; period: string; currency: string; written_off_minor: number; stale_minor: number };

/**
 * Billable value not invoiced, per project, bucket of the work day and currency: items written off,
 * and UNBILLED items more than `staleAfterDays` past their billing month as of `asOf` (the rule of
 * the reconciliation's STALE_BILLABLE_ITEMS, docs/reconciliation.md: an item released by an UNBILL
 * credit memo is due again at the end of the memo's month).
 */
export async function revenueLeakage(
  db: Db,
  from: string,
  to: string,
  unit: TruncUnit,
  asOf: string,
  staleAfterDays: number,
): Promise<LeakageRow[]> {
  const r = await sql<LeakageRow>`
    with released as (
      select i.project_id, i.period_start, i.period_end, m.issue_date
      from billing.credit_memos m join billing.invoices i on i.id = m.invoice_id
      where m.time_disposition = 'UNBILL' and i.period_start is not null and i.period_end is not null
    ), items as (
      select b.project_id, b.currency, b.status, b.amount_minor, b.work_date,
             (date_trunc('month', greatest(b.work_date, coalesce(rel.released_on, b.work_date))) + interval '1 month - 1 day')::date as due
      from billing.billable_items b
      left join lateral (
        select max(x.issue_date) as released_on from released x
        where b.status = 'UNBILLED' and x.project_id = b.project_id and b.work_date between x.period_start and x.period_end
      ) rel on true
      where b.status in ('UNBILLED', 'WRITTEN_OFF') and b.work_date between ${from}::date and ${to}::date
    )
    select project_id, date_trunc(${unit}, work_date::timestamp)::date as period, currency,
           coalesce(sum(amount_minor) filter (where status = 'WRITTEN_OFF'), 0)::bigint as written_off_minor,
           coalesce(sum(amount_minor) filter (where status = 'UNBILLED' and ${asOf}::date - due > ${staleAfterDays}), 0)::bigint as stale_minor
    from items
    where status = 'WRITTEN_OFF' or ${asOf}::date - due > ${staleAfterDays}
    group by 1, 2, 3`.execute(db);
  return r.rows;
}

/** Ids of the invoices a credit memo corrected: few by nature, so a list is cheap to hand to the erp. */
export async function correctedInvoiceIds(db: Db): Promise<string[]> {
  const r = await sql<{ invoice_id: string }>`select distinct invoice_id from billing.credit_memos`.execute(db);
  return r.rows.map((x) => x.invoice_id);
}
