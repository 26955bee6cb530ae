import { type Kysely, sql, type Transaction } from 'kysely';
import { type InvoiceFilter, whereInvoiceFilter } from './invoices.ts';
import type { BillingDatabase } from './tables.ts';

type Db = Kysely<BillingDatabase> | Transaction<BillingDatabase>;

export type ProjectAmountRow = { project_id: string; currency: string; amount_minor: number };

/**
 * UNBILLED item amounts per project. A project with a rule but nothing unbilled gets a zero row in
 * the rule's currency; a project billing has never heard of gets no row.
 */
export async function unbilledOfProjects(db: Db, projectIds: readonly string[]): Promise<ProjectAmountRow[]> {
  const ids = [...projectIds];
  const r = await sql<ProjectAmountRow>`
    select p.id as project_id, coalesce(u.currency, r.currency) as currency, coalesce(u.amount, 0)::bigint as amount_minor
    from unnest(${ids}::text[]) as p(id)
    left join billing.rules r on r.project_id = p.id
    left join (
      select project_id, currency, sum(amount_minor) as amount
      from billing.billable_items
      where status = 'UNBILLED' and project_id = any(${ids}::text[])
      group by project_id, currency
    ) u on u.project_id = p.id
    where r.project_id is not null or u.project_id is not null`.execute(db);
  return r.rows;
}

/** Net invoiced per project: issued invoice subtotals minus their credit memo subtotals, before tax. */
export async function invoicedOfProjects(db: Db, projectIds: readonly string[]): Promise<ProjectAmountRow[]> {
  const ids = [...projectIds];
  const r = await sql<ProjectAmountRow>`
    select p.id as project_id, coalesce(v.currency, r.currency) as currency, coalesce(v.amount, 0)::bigint as amount_minor
    from unnest(${ids}::text[]) as p(id)
    left join billing.rules r on r.project_id = p.id
    left join (
      select i.project_id, i.currency, sum(i.subtotal_minor - coalesce(c.subtotal, 0)) as amount
      from billing.invoices i
      left join lateral (select sum(m.subtotal_minor) as subtotal from billing.credit_memos m where m.invoice_id = i.id) c on true
      where i.status not in ('DRAFT', 'VOID') and i.project_id = any(${ids}::text[])
      group by i.project_id, i.currency
    ) v on v.project_id = p.id
    where r.project_id is not null or v.project_id is not null`.execute(db);
  return r.rows;
}

export type BillingSummaryRow = {
  customer_id: string;
  currency: string;
  unbilled_minor: number;
  invoiced_minor: number;
  paid_minor: number;
  credited_minor: number;
  open_minor: number;
};

/** A customer's position per currency: unbilled items plus issued invoices, summed in one statement. */
export async function billingSummaryOfCustomers(db: Db, customerIds: readonly string[]): Promise<BillingSummaryRow[]> {
  const ids = [...customerIds];
  const r = await sql<BillingSummaryRow>`
    select customer_id, currency,
      sum(unbilled)::bigint as unbilled_minor, sum(invoiced)::bigint as invoiced_minor, sum(paid)::bigint as paid_minor,
      sum(credited)::bigint as credited_minor, sum(invoiced - paid - credited - written_off)::bigint as open_minor
    from (
      select customer_id, currency, amount_minor as unbilled, 0 as invoiced, 0 as paid, 0 as credited, 0 as written_off
      from billing.billable_items where status = 'UNBILLED' and customer_id = any(${ids}::text[])
      union all
      select customer_id, currency, 0, total_minor, paid_minor, credited_minor, written_off_minor
      from billing.invoices where status not in ('DRAFT', 'VOID') and customer_id = any(${ids}::text[])
    ) x
    group by customer_id, currency
    order by customer_id, currency`.execute(db);
  return r.rows;
}

export type InvoiceTotalsRow = {
  currency: string;
  count: number;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  paid_minor: number;
  credited_minor: number;
  open_minor: number;
};

/** Totals per currency of the invoices matching the filter; without a status, drafts and void invoices do not count. */
export function invoiceTotals(db: Db, filter: InvoiceFilter): Promise<InvoiceTotalsRow[]> {
  let q = whereInvoiceFilter(db.selectFrom('billing.invoices'), filter);
  if (!filter.status) q = q.where('status', 'not in', ['DRAFT', 'VOID']);
  return q
    .select([
      'currency',
      sql<number>`count(*)::int`.as('count'),
      sql<number>`sum(subtotal_minor)::bigint`.as('subtotal_minor'),
      sql<number>`sum(tax_minor)::bigint`.as('tax_minor'),
      sql<number>`sum(total_minor)::bigint`.as('total_minor'),
      sql<number>`sum(paid_minor)::bigint`.as('paid_minor'),
      sql<number>`sum(credited_minor)::bigint`.as('credited_minor'),
      sql<number>`sum(case when status in ('DRAFT', 'VOID') then 0 else total_minor - paid_minor - credited_minor - written_off_minor end)::bigint`.as(
        'open_minor',
      ),
    ])
    .groupBy('currency')
    .orderBy('currency')
    .execute();
}
