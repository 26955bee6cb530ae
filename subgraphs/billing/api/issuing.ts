import type { Kysely, Transaction } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, notFound } from '../../../lib/errors.ts';
import { requireDate } from '../../../lib/validate.ts';
import { nextDocumentNumber } from '../data/numbering.ts';
import type { BillingDatabase, Invoice } from '../data/tables.ts';
import { addDays } from './validate.ts';

type Db = Kysely<BillingDatabase>;

/** Runs inside the writing transaction: whatever it writes (a sync job) commits or rolls back with it. */
export type AfterWrite<T> = (trx: Transaction<BillingDatabase>, result: T) => Promise<void>;

/**
 * Issues a DRAFT invoice: the next number of its legal entity (gap-free, see nextDocumentNumber), the
 * issue date, and the due date = issue date + the customer's payment terms. An invoice already issued
 * (in any later state) comes back unchanged and `afterWrite` does not run, so replays are harmless.
 *
 * Errors: NOT_FOUND (invoice, or the customer's billing account), INVALID_STATE_TRANSITION (VOID),
 * BAD_USER_INPUT (bad date).
 */
export function issueInvoice(db: Db, invoiceId: string, issueDate: string, afterWrite?: AfterWrite<Invoice>): Promise<Invoice> {
  return inTransaction(db, async (trx) => {
    requireDate(issueDate, 'issueDate');
    const invoice = await trx.selectFrom('billing.invoices').selectAll().where('id', '=', invoiceId).forUpdate().executeTakeFirst();
    if (!invoice) throw notFound('Invoice', invoiceId);
    if (invoice.status === 'VOID') throw appError('INVALID_STATE_TRANSITION', `Invoice ${invoiceId} is VOID and cannot be issued`, { from: 'VOID', to: 'ISSUED' });
    if (invoice.status !== 'DRAFT') return invoice;
    const account = await trx.selectFrom('billing.accounts').select('payment_terms_days').where('customer_id', '=', invoice.customer_id).executeTakeFirst();
    if (!account) throw appError('NOT_FOUND', `Customer ${invoice.customer_id} has no billing account (erp financial master)`, { type: 'BillingAccount', id: invoice.customer_id });
    const number = await nextDocumentNumber(trx, invoice.legal_entity_id, 'INVOICE', issueDate);
    const issued = await trx
      .updateTable('billing.invoices')
      .set({ status: 'ISSUED', number, issue_date: issueDate, due_date: addDays(issueDate, account.payment_terms_days), issued_at: new Date() })
      .where('id', '=', invoiceId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (afterWrite) await afterWrite(trx, issued);
    return issued;
  });
}

/**
 * Voids a DRAFT invoice (it never had a number, so numbering stays gap-free) and releases its items
 * to UNBILLED and its milestones to PLANNED, for the next run. Voiding a VOID invoice returns it.
 *
 * Errors: NOT_FOUND, INVALID_STATE_TRANSITION (issued invoices are reversed by credit memos).
 */
export function voidInvoice(db: Db, invoiceId: string): Promise<Invoice> {
  return inTransaction(db, async (trx) => {
    const invoice = await trx.selectFrom('billing.invoices').selectAll().where('id', '=', invoiceId).forUpdate().executeTakeFirst();
    if (!invoice) throw notFound('Invoice', invoiceId);
    if (invoice.status === 'VOID') return invoice;
    if (invoice.status !== 'DRAFT') {
      throw appError('INVALID_STATE_TRANSITION', `Invoice ${invoiceId} is ${invoice.status}; only drafts are voided, issued invoices need a credit memo`, { from: invoice.status, to: 'VOID' });
    }
    const lines = trx.selectFrom('billing.invoice_lines').where('invoice_id', '=', invoiceId);
    await trx.updateTable('billing.billable_items').set({ status: 'UNBILLED', invoice_line_id: null }).where('invoice_line_id', 'in', lines.select('id')).execute();
    await trx.updateTable('billing.milestones').set({ status: 'PLANNED' }).where('id', 'in', lines.select('milestone_id').where('milestone_id', 'is not', null).$narrowType<{ milestone_id: string }>()).execute();
    return trx.updateTable('billing.invoices').set({ status: 'VOID' }).where('id', '=', invoiceId).returningAll().executeTakeFirstOrThrow();
  });
}
