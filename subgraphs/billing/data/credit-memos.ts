import type { Kysely, Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { keysetPage, type PageArgs } from '../../../lib/pagination.ts';
import type { BillingDatabase, CreditMemo, CreditMemoLine } from './tables.ts';

type Db = Kysely<BillingDatabase> | Transaction<BillingDatabase>;

export type CreditMemoFilter = { invoiceId?: string | null; customerId?: string | null };

export function findCreditMemosByIds(db: Db, ids: readonly string[]): Promise<CreditMemo[]> {
  return db.selectFrom('billing.credit_memos').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function findCreditMemosOfInvoices(db: Db, invoiceIds: readonly string[]): Promise<CreditMemo[]> {
  return db
    .selectFrom('billing.credit_memos')
    .selectAll()
    .where('invoice_id', '=', anyOf(invoiceIds))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findCreditMemoLines(db: Db, creditMemoIds: readonly string[]): Promise<CreditMemoLine[]> {
  return db
    .selectFrom('billing.credit_memo_lines as cl')
    .innerJoin('billing.credit_memos as m', 'm.id', 'cl.credit_memo_id')
    .selectAll('cl')
    .select('m.currency')
    .where('cl.credit_memo_id', '=', anyOf(creditMemoIds))
    .orderBy('cl.credit_memo_id')
    .orderBy('cl.id')
    .execute();
}

export function pageCreditMemos(db: Db, args: PageArgs & { filter?: CreditMemoFilter | null }) {
  const f = args.filter ?? {};
  let q = db.selectFrom('billing.credit_memos as m').selectAll('m');
  if (f.invoiceId) q = q.where('m.invoice_id', '=', f.invoiceId);
  if (f.customerId) q = q.where('m.customer_id', '=', f.customerId);
  return keysetPage(q, { list: 'creditMemos', args, sortColumn: 'm.issue_date', direction: 'DESC', idColumn: 'm.id', id: (r) => r.id });
}
