import { type Kysely, type SelectQueryBuilder, sql, type Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { keysetPage, type PageArgs, type SortDirection } from '../../../lib/pagination.ts';
import type { BillingDatabase, Invoice, InvoiceLine, InvoicePayment, InvoiceStatus } from './tables.ts';

type Db = Kysely<BillingDatabase> | Transaction<BillingDatabase>;

export type InvoiceFilter = {
  customerId?: string | null;
  projectId?: string | null;
  status?: InvoiceStatus | null;
  issuedFrom?: string | null;
  issuedTo?: string | null;
  legalEntityId?: string | null;
};
export type InvoiceOrder = { field: 'ISSUE_DATE' | 'NUMBER' | 'TOTAL'; direction: SortDirection };

export function findInvoicesByIds(db: Db, ids: readonly string[]): Promise<Invoice[]> {
  return db.selectFrom('billing.invoices').selectAll().where('id', '=', anyOf(ids)).execute();
}

/** Newest first; drafts (no issue date) lead. */
export function findInvoicesOf(
  db: Db,
  column: 'project_id' | 'customer_id',
  ids: readonly string[],
  status?: InvoiceStatus | null,
): Promise<Invoice[]> {
  let q = db.selectFrom('billing.invoices').selectAll().where(column, '=', anyOf(ids));
  if (status) q = q.where('status', '=', status);
  return q.orderBy(sql`issue_date desc nulls first`).orderBy('id', 'desc').execute();
}

/** The invoice currently billing each time entry, with the entry id alongside. */
export function findInvoicesOfTimeEntries(db: Db, timeEntryIds: readonly string[]): Promise<(Invoice & { source_id: string })[]> {
  return db
    .selectFrom('billing.billable_items as b')
    .innerJoin('billing.invoice_lines as l', 'l.id', 'b.invoice_line_id')
    .innerJoin('billing.invoices as i', 'i.id', 'l.invoice_id')
    .selectAll('i')
    .select('b.source_id')
    .where('b.source_type', '=', 'TIME_ENTRY')
    .where('b.source_id', '=', anyOf(timeEntryIds))
    .execute();
}

/** The invoice of each line, with the line id alongside: an item's invoice in one hop. */
export function findInvoicesOfLines(db: Db, lineIds: readonly string[]): Promise<(Invoice & { line_id: string })[]> {
  return db
    .selectFrom('billing.invoice_lines as l')
    .innerJoin('billing.invoices as i', 'i.id', 'l.invoice_id')
    .selectAll('i')
    .select('l.id as line_id')
    .where('l.id', '=', anyOf(lineIds))
    .execute();
}

function lines(db: Db) {
  return db
    .selectFrom('billing.invoice_lines as l')
    .innerJoin('billing.invoices as i', 'i.id', 'l.invoice_id')
    .selectAll('l')
    .select('i.currency');
}

export function findLinesByIds(db: Db, ids: readonly string[]): Promise<InvoiceLine[]> {
  return lines(db).where('l.id', '=', anyOf(ids)).execute();
}

export function findLinesOfInvoices(db: Db, invoiceIds: readonly string[]): Promise<InvoiceLine[]> {
  return lines(db).where('l.invoice_id', '=', anyOf(invoiceIds)).orderBy('l.invoice_id').orderBy('l.line_no').execute();
}

export function findPaymentsOfInvoices(db: Db, invoiceIds: readonly string[]): Promise<InvoicePayment[]> {
  return db
    .selectFrom('billing.invoice_payments')
    .selectAll()
    .where('invoice_id', '=', anyOf(invoiceIds))
    .orderBy('received_on')
    .orderBy('id')
    .execute();
}

/** Applies an invoice filter; shared by the list and the totals so both count the same invoices. */
export function whereInvoiceFilter<O>(
  q: SelectQueryBuilder<BillingDatabase, 'billing.invoices', O>,
  f: InvoiceFilter,
): SelectQueryBuilder<BillingDatabase, 'billing.invoices', O> {
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  if (f.projectId) q = q.where('project_id', '=', f.projectId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.issuedFrom) q = q.where('issue_date', '>=', f.issuedFrom);
  if (f.issuedTo) q = q.where('issue_date', '<=', f.issuedTo);
  if (f.legalEntityId) q = q.where('legal_entity_id', '=', f.legalEntityId);
  return q;
}

const SORT = {
  // Keyset paging needs a non-null sort key: drafts have neither date nor number yet.
  ISSUE_DATE: { column: 'i.sort_issue_date' },
  NUMBER: { column: 'i.sort_number' },
  TOTAL: { column: 'i.total_minor' },
} as const;

type SortableInvoice = Invoice & { sort_issue_date: string; sort_number: string };

export function pageInvoices(db: Db, args: PageArgs & { filter?: InvoiceFilter | null; orderBy?: InvoiceOrder | null }) {
  const filtered = whereInvoiceFilter(
    db
      .selectFrom('billing.invoices')
      .selectAll()
      .select([
        sql<string>`coalesce(issue_date, '9999-12-31'::date)`.as('sort_issue_date'),
        sql<string>`coalesce(number, '')`.as('sort_number'),
      ]),
    args.filter ?? {},
  );
  const q = db.selectFrom(filtered.as('i')).selectAll('i');
  const order = args.orderBy ?? { field: 'ISSUE_DATE', direction: 'DESC' };
  const sort = SORT[order.field];
  return keysetPage<SortableInvoice>(q, {
    list: 'invoices',
    args,
    sortColumn: sort.column,
    direction: order.direction,
    idColumn: 'i.id',
    id: (r) => r.id,
  });
}
