import { sql } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { keysetPage, type PageArgs } from '../../../lib/pagination.ts';
import type { Db } from './db.ts';
import type { Payment, Receivable, ReceivableStatus } from './tables.ts';

export type ReceivableFilter = { customerId?: string | null; status?: ReceivableStatus | null; overdueAsOf?: string | null };

export function findReceivablesByIds(db: Db, ids: readonly string[]): Promise<Receivable[]> {
  return db.selectFrom('erp.receivables').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function findReceivablesByInvoiceIds(db: Db, invoiceIds: readonly string[]): Promise<Receivable[]> {
  return db.selectFrom('erp.receivables').selectAll().where('invoice_id', '=', anyOf(invoiceIds)).execute();
}

export function findReceivablesOfCustomers(db: Db, customerIds: readonly string[], openOnly: boolean): Promise<Receivable[]> {
  let q = db.selectFrom('erp.receivables').selectAll().where('customer_id', '=', anyOf(customerIds));
  if (openOnly) q = q.where('open_minor', '>', 0);
  return q.orderBy('due_date').orderBy('id').execute();
}

export type ArBalanceRow = { customer_id: string; currency: string; open_minor: number };

/** Open receivables per customer and currency, summed in SQL. */
export function arBalances(db: Db, customerIds: readonly string[]): Promise<ArBalanceRow[]> {
  return db
    .selectFrom('erp.receivables')
    .select(['customer_id', 'currency', sql<number>`sum(open_minor)::bigint`.as('open_minor')])
    .where('customer_id', '=', anyOf(customerIds))
    .where('open_minor', '>', 0)
    .groupBy(['customer_id', 'currency'])
    .orderBy('currency')
    .execute();
}

export function findPaymentsOfReceivables(db: Db, receivableIds: readonly string[]): Promise<Payment[]> {
  return db
    .selectFrom('erp.payments')
    .selectAll()
    .where('receivable_id', '=', anyOf(receivableIds))
    .orderBy('received_on')
    .orderBy('id')
    .execute();
}

/** Receivables oldest due date first, so collections work from the top of the list. */
export function pageReceivables(db: Db, args: PageArgs & { filter?: ReceivableFilter | null }) {
  const f = args.filter ?? {};
  let q = db.selectFrom('erp.receivables as r').selectAll('r');
  if (f.customerId) q = q.where('r.customer_id', '=', f.customerId);
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.overdueAsOf) q = q.where('r.open_minor', '>', 0).where('r.due_date', '<', f.overdueAsOf);
  return keysetPage(q, {
    list: 'receivables',
    args,
    sortColumn: 'r.due_date',
    direction: 'ASC',
    idColumn: 'r.id',
    id: (r) => r.id,
  });
}
