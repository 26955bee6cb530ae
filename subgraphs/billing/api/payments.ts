import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { formatMoney } from '../../../lib/money.ts';
import { requireDate, requireText } from '../../../lib/validate.ts';
import type { BillingDatabase, Invoice } from '../data/tables.ts';
import { requireMinor } from './validate.ts';

type Db = Kysely<BillingDatabase>;

export type PaymentInput = { invoiceId: string; erpPaymentId: string; amountMinor: number; receivedOn: string };

/**
 * Applies a payment erp received. Once per erp payment: applying the same erpPaymentId to the same
 * invoice again returns the invoice unchanged. The invoice becomes PAID when payments and credits
 * cover its total, PARTIALLY_PAID before that.
 *
 * Errors: NOT_FOUND, DUPLICATE (the erp payment was applied to another invoice), INVALID_STATE_TRANSITION
 * (draft or void), OVERPAYMENT (more than the open balance), INVALID_MONEY.
 */
export function applyPayment(db: Db, input: PaymentInput): Promise<Invoice> {
  return inTransaction(db, async (trx) => {
    const erpPaymentId = requireText(input.erpPaymentId, 'erpPaymentId');
    const amount = requireMinor(input.amountMinor, 'amount');
    requireDate(input.receivedOn, 'receivedOn');
    const invoice = await trx.selectFrom('billing.invoices').selectAll().where('id', '=', input.invoiceId).forUpdate().executeTakeFirst();
    if (!invoice) throw notFound('Invoice', input.invoiceId);
    const applied = await trx
      .selectFrom('billing.invoice_payments')
      .select('invoice_id')
      .where('erp_payment_id', '=', erpPaymentId)
      .executeTakeFirst();
    if (applied) {
      if (applied.invoice_id === invoice.id) return invoice;
      throw appError('DUPLICATE', `erp payment ${erpPaymentId} is already applied to invoice ${applied.invoice_id}`, {
        field: 'erpPaymentId',
      });
    }
    if (invoice.status === 'DRAFT' || invoice.status === 'VOID') {
      throw appError('INVALID_STATE_TRANSITION', `Invoice ${invoice.id} is ${invoice.status}; payments apply to issued invoices`, {
        from: invoice.status,
        to: 'PAID',
      });
    }
    const open = invoice.total_minor - invoice.paid_minor - invoice.credited_minor;
    if (amount > open) {
      throw appError(
        'OVERPAYMENT',
        `Payment of ${formatMoney(amount, invoice.currency)} exceeds the open balance ${formatMoney(open, invoice.currency)} of invoice ${invoice.number}`,
        {
          field: 'amount',
          openBalance: formatMoney(open, invoice.currency),
        },
      );
    }
    await trx
      .insertInto('billing.invoice_payments')
      .values({
        id: newId('pay'),
        invoice_id: invoice.id,
        erp_payment_id: erpPaymentId,
        amount_minor: amount,
        received_on: input.receivedOn,
      })
      .execute();
    const paid = invoice.paid_minor + amount;
    return trx
      .updateTable('billing.invoices')
      .set({ paid_minor: paid, status: paid + invoice.credited_minor === invoice.total_minor ? 'PAID' : 'PARTIALLY_PAID' })
      .where('id', '=', invoice.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
