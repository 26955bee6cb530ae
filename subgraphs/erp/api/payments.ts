import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { formatMoney } from '../../../lib/money.ts';
import { requireDate, requireMoney, requireText } from '../../../lib/validate.ts';
import type { ErpDatabase, Payment } from '../data/tables.ts';
import { postJournalEntryIn } from './journals.ts';
import type { ClosedPeriodPolicy } from './periods.ts';

export type RecordPaymentInput = { externalRef: string; invoiceId: string; amount: string; receivedOn: string };

/** Account codes are parameters because the real mapping per legal entity lives in the mapping file. */
export type PaymentPostingOptions = {
  cashAccountCode?: string | null;
  arAccountCode?: string | null;
  closedPeriodPolicy?: ClosedPeriodPolicy | null;
};

export const DEFAULT_CASH_ACCOUNT = '1000';
export const DEFAULT_AR_ACCOUNT = '1200';

/**
 * Records a customer payment against an invoice's receivable, in one transaction: the payment, the
 * receivable's new balance and status (PARTIALLY_PAID / PAID), and the cash journal (debit cash,
 * credit AR, source PAYMENT / payment id). Idempotent on `externalRef`. A payment above the open
 * balance is OVERPAYMENT. `afterWrite` runs in the same transaction (the sync to billing enqueues there).
 */
export function recordPayment(
  db: Kysely<ErpDatabase>,
  input: RecordPaymentInput,
  options: PaymentPostingOptions = {},
  afterWrite?: (trx: Kysely<ErpDatabase>, payment: Payment) => Promise<void>,
): Promise<Payment> {
  return inTransaction(db, async (trx) => {
    const externalRef = requireText(input.externalRef, 'externalRef');
    const byRef = () => trx.selectFrom('erp.payments').selectAll().where('external_ref', '=', externalRef).executeTakeFirst();
    const existing = await byRef();
    if (existing) return existing;
    const r = await trx.selectFrom('erp.receivables').selectAll().where('invoice_id', '=', input.invoiceId).forUpdate().executeTakeFirst();
    if (!r)
      throw appError('NOT_FOUND', `Invoice ${input.invoiceId} has no receivable in the erp`, {
        type: 'Receivable',
        id: input.invoiceId,
        field: 'invoiceId',
      });
    // A concurrent delivery of the same payment may have committed while we waited for the lock.
    const raced = await byRef();
    if (raced) return raced;
    const amount = requireMoney(input.amount, r.currency, 'amount', { allowZero: false });
    requireDate(input.receivedOn, 'receivedOn');
    if (amount > r.open_minor) {
      throw appError(
        'OVERPAYMENT',
        `A payment of ${input.amount} ${r.currency} exceeds the open balance ${formatMoney(r.open_minor, r.currency)} of invoice ${r.invoice_number}`,
        {
          field: 'amount',
          openBalance: formatMoney(r.open_minor, r.currency),
        },
      );
    }
    const id = newId('pay');
    const entry = await postJournalEntryIn(
      trx,
      {
        legalEntityId: r.legal_entity_id,
        date: input.receivedOn,
        sourceType: 'PAYMENT',
        sourceId: id,
        memo: `Payment ${externalRef} for invoice ${r.invoice_number}`,
        currency: r.currency,
        lines: [
          {
            accountCode: options.cashAccountCode ?? DEFAULT_CASH_ACCOUNT,
            debit: formatMoney(amount, r.currency),
            customerId: r.customer_id,
            projectId: r.project_id,
          },
          {
            accountCode: options.arAccountCode ?? DEFAULT_AR_ACCOUNT,
            credit: formatMoney(amount, r.currency),
            customerId: r.customer_id,
            projectId: r.project_id,
          },
        ],
      },
      { closedPeriodPolicy: options.closedPeriodPolicy },
    );
    const open = r.open_minor - amount;
    await trx
      .updateTable('erp.receivables')
      .set({ open_minor: open, status: open === 0 ? 'PAID' : 'PARTIALLY_PAID' })
      .where('id', '=', r.id)
      .execute();
    const payment = await trx
      .insertInto('erp.payments')
      .values({
        id,
        customer_id: r.customer_id,
        legal_entity_id: r.legal_entity_id,
        receivable_id: r.id,
        invoice_id: r.invoice_id,
        amount_minor: amount,
        currency: r.currency,
        received_on: input.receivedOn,
        external_ref: externalRef,
        journal_entry_id: entry.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (afterWrite) await afterWrite(trx, payment);
    return payment;
  });
}
