import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, badInput } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { type LedgerPolicy, ledgerPolicy } from '../../../lib/ledger-policy.ts';
import { defaultMapping } from '../../../lib/mapping.ts';
import { requireDate, requireMoney, requireText } from '../../../lib/validate.ts';
import type { ErpDatabase, Payment } from '../data/tables.ts';
import type { ClosedPeriodPolicy } from './periods.ts';
import { applySettlementEvent, lockReceivable } from './settlement.ts';

export type RecordPaymentInput = { externalRef: string; invoiceId: string; amount: string; receivedOn: string };

/**
 * The accounts come from the mapping (each legal entity's `cash` and `receivable`). A payment may
 * arrive on another bank account of the entity (`cashAccountCode`); AR is always the mapped one, since
 * AR per invoice must equal the receivable (`arAccountCode`, if sent, must be it).
 */
export type PaymentPostingOptions = {
  cashAccountCode?: string | null;
  arAccountCode?: string | null;
  /** The mapping's policy when absent. */
  closedPeriodPolicy?: ClosedPeriodPolicy | null;
  policy?: LedgerPolicy;
};

export const idempotencyKeyReused = (key: string, existingId: string) =>
  appError('IDEMPOTENCY_KEY_REUSED', `Reference ${key} was already used for ${existingId} with other data; nothing was recorded`, {
    field: 'externalRef',
    existingId,
  });

/**
 * Records a customer payment against an invoice, in one transaction under the receivable's lock
 * (`lockReceivable`, the lock every balance change takes): the payment, the receivable's new balance
 * and the cash journal (settlement.ts). Cash beyond what the invoice still owes is the customer's
 * credit (unapplied cash), or OVERPAYMENT when the mapping's `money.overpayment` is REFUSE. A foreign
 * payment relieves AR at the invoice's rate; the difference to the day's rate is a realized FX gain
 * or loss. The first payment of a month opens its period (mapping `money.periods.autoOpen`).
 *
 * `externalRef` is an idempotency key, as Stripe's are: the same payment sent again returns the one
 * recorded; another payment under the same reference is IDEMPOTENCY_KEY_REUSED and records nothing
 * (it used to return the first payment silently, and the new money was never recorded). `afterWrite`
 * runs in the same transaction (the sync to billing enqueues there).
 */
export function recordPayment(
  db: Kysely<ErpDatabase>,
  input: RecordPaymentInput,
  options: PaymentPostingOptions = {},
  afterWrite?: (trx: Kysely<ErpDatabase>, payment: Payment) => Promise<void>,
): Promise<Payment> {
  return inTransaction(db, async (trx) => {
    const base = options.policy ?? ledgerPolicy(defaultMapping());
    const policy: LedgerPolicy = { ...base, closedPeriodPolicy: options.closedPeriodPolicy ?? base.closedPeriodPolicy };
    const externalRef = requireText(input.externalRef, 'externalRef');
    const receivedOn = requireDate(input.receivedOn, 'receivedOn');
    const byRef = () => trx.selectFrom('erp.payments').selectAll().where('external_ref', '=', externalRef).executeTakeFirst();
    const sameAs = (p: Payment) =>
      p.invoice_id === input.invoiceId &&
      p.received_on === receivedOn &&
      p.amount_minor === requireMoney(input.amount, p.currency, 'amount');
    const existing = await byRef();
    if (existing) {
      if (sameAs(existing)) return existing;
      throw idempotencyKeyReused(externalRef, existing.id);
    }
    const r = await lockReceivable(trx, input.invoiceId);
    // A concurrent delivery of the same payment may have committed while we waited for the lock.
    const raced = await byRef();
    if (raced) {
      if (sameAs(raced)) return raced;
      throw idempotencyKeyReused(externalRef, raced.id);
    }
    const amount = requireMoney(input.amount, r.currency, 'amount', { allowZero: false });
    const accounts = policy.accounts(r.legal_entity_id);
    if (options.arAccountCode && options.arAccountCode !== accounts.receivable)
      throw badInput(`arAccountCode must be the mapped receivable account ${accounts.receivable} of ${r.legal_entity_id}`, 'arAccountCode');
    const id = newId('pay');
    const { entry } = await applySettlementEvent(
      trx,
      policy,
      r,
      { kind: 'PAYMENT', amount, cashAccount: options.cashAccountCode ?? accounts.cash, paymentId: id },
      {
        legalEntityId: r.legal_entity_id,
        date: receivedOn,
        sourceType: 'PAYMENT',
        sourceId: id,
        memo: `Payment ${externalRef} for invoice ${r.invoice_number}`,
      },
    );
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
        received_on: receivedOn,
        external_ref: externalRef,
        journal_entry_id: entry.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (afterWrite) await afterWrite(trx, payment);
    return payment;
  });
}
