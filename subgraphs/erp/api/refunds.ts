import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import type { LedgerPolicy } from '../../../lib/ledger-policy.ts';
import { convertMoney, divRoundHalfUp, formatMoney, toSafeNumber } from '../../../lib/money.ts';
import { requireCurrency, requireDate, requireMoney, requireText } from '../../../lib/validate.ts';
import type { ErpDatabase, Refund } from '../data/tables.ts';
import { addCustomerCredit, lockCustomerCredit } from './customer-credit.ts';
import type { FunctionalLine } from './journal-lines.ts';
import { postComputedEntryIn, rateInForce } from './journals.ts';
import { idempotencyKeyReused } from './payments.ts';

export type RefundInput = {
  customerId: string;
  legalEntityId: string;
  currency: string;
  /** Decimal string in `currency`, at most the customer's credit. */
  amount: string;
  paidOn: string;
  /** The bank reference of the outgoing transfer: the same refund is recorded once. */
  externalRef: string;
  cashAccountCode?: string | null;
};

/**
 * Pays back customer credit (an overpayment, or a credit memo on a paid invoice): debit customer
 * credit, credit cash. The credit is relieved at what it is carried at in the functional currency
 * (all of it when the refund empties it); cash leaves at the rate of the day; the difference is a
 * realized FX gain or loss. Idempotent on `externalRef` like a payment: the same refund again is the
 * first one, another refund under the same reference is IDEMPOTENCY_KEY_REUSED.
 *
 * Errors: BAD_USER_INPUT, INVALID_MONEY, INSUFFICIENT_CUSTOMER_CREDIT, IDEMPOTENCY_KEY_REUSED, and the
 * posting's (PERIOD_CLOSED, NOT_FOUND for a missing FX rate, UNKNOWN_ACCOUNT).
 */
export function refundCustomerCredit(db: Kysely<ErpDatabase>, input: RefundInput, policy: LedgerPolicy): Promise<Refund> {
  return inTransaction(db, async (trx) => {
    const externalRef = requireText(input.externalRef, 'externalRef');
    const customerId = requireText(input.customerId, 'customerId');
    requireCurrency(input.currency);
    const paidOn = requireDate(input.paidOn, 'paidOn');
    const amount = requireMoney(input.amount, input.currency, 'amount', { allowZero: false });
    const accounts = policy.accounts(input.legalEntityId);
    const byRef = () => trx.selectFrom('erp.refunds').selectAll().where('external_ref', '=', externalRef).executeTakeFirst();
    const same = (r: Refund) =>
      r.customer_id === customerId &&
      r.legal_entity_id === input.legalEntityId &&
      r.currency === input.currency &&
      r.amount_minor === amount &&
      r.paid_on === paidOn;
    const existing = await byRef();
    if (existing) {
      if (same(existing)) return existing;
      throw idempotencyKeyReused(externalRef, existing.id);
    }
    const balance = await lockCustomerCredit(trx, customerId, input.legalEntityId, input.currency);
    const raced = await byRef();
    if (raced) {
      if (same(raced)) return raced;
      throw idempotencyKeyReused(externalRef, raced.id);
    }
    if (amount > balance.balance_minor) {
      throw appError(
        'INSUFFICIENT_CUSTOMER_CREDIT',
        `Customer ${customerId} holds ${formatMoney(balance.balance_minor, input.currency)} ${input.currency} of credit; a refund of ${input.amount} exceeds it`,
        { field: 'amount', available: formatMoney(balance.balance_minor, input.currency) },
      );
    }
    const le = await trx.selectFrom('erp.legal_entities').selectAll().where('id', '=', input.legalEntityId).executeTakeFirstOrThrow();
    const foreign = input.currency !== le.functional_currency;
    const rate = foreign ? await rateInForce(trx, input.currency, le.functional_currency, paidOn) : '1';
    const relieved =
      amount === balance.balance_minor
        ? balance.functional_minor
        : toSafeNumber(divRoundHalfUp(BigInt(balance.functional_minor) * BigInt(amount), BigInt(balance.balance_minor)));
    const cash = foreign ? convertMoney(amount, input.currency, le.functional_currency, rate) : amount;
    const id = newId('rfd');
    const dims = { customerId, projectId: null, serviceLine: null };
    const lines: FunctionalLine[] = [
      {
        accountCode: accounts.customerCredit,
        debit: amount,
        credit: 0,
        functionalDebit: relieved,
        functionalCredit: 0,
        ...dims,
        sourceLineType: 'CUSTOMER_CREDIT',
        sourceLineId: customerId,
      },
      {
        accountCode: input.cashAccountCode ?? accounts.cash,
        debit: 0,
        credit: amount,
        functionalDebit: 0,
        functionalCredit: cash,
        ...dims,
        sourceLineType: 'REFUND',
        sourceLineId: id,
      },
    ];
    const residual = relieved - cash;
    // Credit carried at an older rate than today's: the difference is realized when the cash leaves.
    if (residual > 0)
      lines.push({
        accountCode: accounts.realizedFx,
        debit: 0,
        credit: 0,
        functionalDebit: 0,
        functionalCredit: residual,
        ...dims,
        sourceLineType: 'REFUND',
        sourceLineId: id,
      });
    if (residual < 0)
      lines.push({
        accountCode: accounts.realizedFx,
        debit: 0,
        credit: 0,
        functionalDebit: -residual,
        functionalCredit: 0,
        ...dims,
        sourceLineType: 'REFUND',
        sourceLineId: id,
      });
    const entry = await postComputedEntryIn(
      trx,
      {
        legalEntityId: input.legalEntityId,
        date: paidOn,
        sourceType: 'REFUND',
        sourceId: id,
        memo: `Refund ${externalRef} of customer credit to ${customerId}`,
        currency: input.currency,
        fxRate: rate,
      },
      lines,
      policy,
    );
    const refund = await trx
      .insertInto('erp.refunds')
      .values({
        id,
        customer_id: customerId,
        legal_entity_id: input.legalEntityId,
        currency: input.currency,
        amount_minor: amount,
        paid_on: paidOn,
        external_ref: externalRef,
        journal_entry_id: entry.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await addCustomerCredit(trx, {
      customerId,
      legalEntityId: input.legalEntityId,
      currency: input.currency,
      amount: -amount,
      functional: -relieved,
      sourceType: 'REFUND',
      sourceId: id,
      journalEntryId: entry.id,
    });
    return refund;
  });
}
