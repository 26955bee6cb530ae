import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireDate, requireText } from '../../../lib/validate.ts';
import type { BillingDatabase, Invoice } from '../data/tables.ts';
import { factsOf, storeSettlement } from './settlement.ts';
import { requireMinor } from './validate.ts';

type Db = Kysely<BillingDatabase>;

export type PaymentInput = { invoiceId: string; erpPaymentId: string; amountMinor: number; receivedOn: string };

/**
 * Applies a payment the erp received. Once per erp payment: applying the same erpPaymentId to the same
 * invoice again returns the invoice unchanged. Billing records the cash as received and settles its
 * copy of the balance by the shared rule (settlement.ts): cash beyond what the invoice still owes is
 * not refused here, because the erp, whose receivable is authoritative, already took the payment and
 * holds the rest as the customer's credit. PAID when cash took part in settling it, PARTIALLY_PAID
 * while something is open.
 *
 * Errors: NOT_FOUND, DUPLICATE (the erp payment was applied to another invoice), INVALID_STATE_TRANSITION
 * (draft or void), INVALID_MONEY.
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
    return storeSettlement(trx, invoice, { ...factsOf(invoice), received: invoice.received_minor + amount });
  });
}

export type WriteOffInput = { invoiceId: string; erpWriteOffId: string; amountMinor: number; writtenOffOn: string };

/**
 * Applies a bad-debt write-off the erp made, once per erp write-off, and settles billing's copy by the
 * shared rule: WRITTEN_OFF once nothing is open.
 *
 * Errors: NOT_FOUND, DUPLICATE (the write-off was applied to another invoice), INVALID_STATE_TRANSITION
 * (draft or void), INVALID_MONEY.
 */
export function applyWriteOff(db: Db, input: WriteOffInput): Promise<Invoice> {
  return inTransaction(db, async (trx) => {
    const erpWriteOffId = requireText(input.erpWriteOffId, 'erpWriteOffId');
    const amount = requireMinor(input.amountMinor, 'amount');
    requireDate(input.writtenOffOn, 'writtenOffOn');
    const invoice = await trx.selectFrom('billing.invoices').selectAll().where('id', '=', input.invoiceId).forUpdate().executeTakeFirst();
    if (!invoice) throw notFound('Invoice', input.invoiceId);
    const applied = await trx
      .selectFrom('billing.invoice_write_offs')
      .select('invoice_id')
      .where('erp_write_off_id', '=', erpWriteOffId)
      .executeTakeFirst();
    if (applied) {
      if (applied.invoice_id === invoice.id) return invoice;
      throw appError('DUPLICATE', `erp write-off ${erpWriteOffId} is already applied to invoice ${applied.invoice_id}`, {
        field: 'erpWriteOffId',
      });
    }
    if (invoice.status === 'DRAFT' || invoice.status === 'VOID')
      throw appError('INVALID_STATE_TRANSITION', `Invoice ${invoice.id} is ${invoice.status}; only issued invoices are written off`, {
        from: invoice.status,
        to: 'WRITTEN_OFF',
      });
    await trx
      .insertInto('billing.invoice_write_offs')
      .values({
        id: newId('iwo'),
        invoice_id: invoice.id,
        erp_write_off_id: erpWriteOffId,
        amount_minor: amount,
        written_off_on: input.writtenOffOn,
      })
      .execute();
    return storeSettlement(trx, invoice, { ...factsOf(invoice), writeOffs: invoice.write_offs_minor + amount });
  });
}
