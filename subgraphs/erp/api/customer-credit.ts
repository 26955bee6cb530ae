import type { Transaction } from 'kysely';
import { newId } from '../../../lib/ids.ts';
import type { CustomerCreditBalance, ErpDatabase } from '../data/tables.ts';

type Trx = Transaction<ErpDatabase>;

export type CustomerCreditMovementInput = {
  customerId: string;
  legalEntityId: string;
  currency: string;
  /** Signed: above zero the erp owes the customer more (unapplied cash, a credit on a paid invoice), below zero less (a refund). */
  amount: number;
  /** The functional amount the customer-credit account moved by, signed like `amount`. */
  functional: number;
  sourceType: string;
  sourceId: string;
  invoiceId?: string | null;
  journalEntryId: string;
};

/**
 * The customer's credit balance in one currency, created empty if missing and locked until commit:
 * refunds of one customer queue on it, and the check on the table (balance >= 0) refuses a refund
 * of more than is held even if two get past the API at once.
 */
export async function lockCustomerCredit(
  trx: Trx,
  customerId: string,
  legalEntityId: string,
  currency: string,
): Promise<CustomerCreditBalance> {
  await trx
    .insertInto('erp.customer_credit_balances')
    .values({ customer_id: customerId, legal_entity_id: legalEntityId, currency })
    .onConflict((oc) => oc.columns(['customer_id', 'legal_entity_id', 'currency']).doNothing())
    .execute();
  return trx
    .selectFrom('erp.customer_credit_balances')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('legal_entity_id', '=', legalEntityId)
    .where('currency', '=', currency)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** Moves the customer's credit balance and records why, in the caller's transaction (with the journal that posted it). */
export async function addCustomerCredit(trx: Trx, m: CustomerCreditMovementInput): Promise<CustomerCreditBalance> {
  const balance = await lockCustomerCredit(trx, m.customerId, m.legalEntityId, m.currency);
  await trx
    .insertInto('erp.customer_credit_movements')
    .values({
      id: newId('ccm'),
      customer_id: m.customerId,
      legal_entity_id: m.legalEntityId,
      currency: m.currency,
      amount_minor: m.amount,
      functional_minor: m.functional,
      source_type: m.sourceType,
      source_id: m.sourceId,
      invoice_id: m.invoiceId ?? null,
      journal_entry_id: m.journalEntryId,
    })
    .execute();
  return trx
    .updateTable('erp.customer_credit_balances')
    .set({ balance_minor: balance.balance_minor + m.amount, functional_minor: balance.functional_minor + m.functional })
    .where('customer_id', '=', m.customerId)
    .where('legal_entity_id', '=', m.legalEntityId)
    .where('currency', '=', m.currency)
    .returningAll()
    .executeTakeFirstOrThrow();
}
