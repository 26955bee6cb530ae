import { sql } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { requireCurrency, requirePaymentTermsDays, requireText } from '../../../lib/validate.ts';
import type { Db } from '../data/db.ts';
import type { CustomerRef } from '../data/tables.ts';

export type UpsertCustomerRefInput = {
  customerId: string;
  name: string;
  legalEntityId?: string | null;
  currency?: string | null;
  paymentTermsDays?: number | null;
};

/**
 * Keeps the PSA's copy of a customer's ERP financial master (master-data flow). Idempotent: the
 * same master again changes nothing, not even `updated_at`, so replays leave no trace.
 */
export function upsertCustomerRef(db: Db, input: UpsertCustomerRefInput): Promise<CustomerRef> {
  return inTransaction(db, async (trx) => {
    const days = input.paymentTermsDays ?? null;
    if (days !== null) requirePaymentTermsDays(days);
    const values = {
      customer_id: requireText(input.customerId, 'customerId'),
      name: requireText(input.name, 'name'),
      legal_entity_id: input.legalEntityId?.trim() || null,
      currency: input.currency == null ? null : requireCurrency(input.currency, 'currency'),
      payment_terms_days: days,
    };
    const changed = await trx
      .insertInto('psa.customer_refs')
      .values(values)
      .onConflict((oc) =>
        oc
          .column('customer_id')
          .doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            legal_entity_id: eb.ref('excluded.legal_entity_id'),
            currency: eb.ref('excluded.currency'),
            payment_terms_days: eb.ref('excluded.payment_terms_days'),
            updated_at: new Date(),
          }))
          .where(
            sql<boolean>`(customer_refs.name, customer_refs.legal_entity_id, customer_refs.currency, customer_refs.payment_terms_days)
              is distinct from (excluded.name, excluded.legal_entity_id, excluded.currency, excluded.payment_terms_days)`,
          ),
      )
      .returningAll()
      .executeTakeFirst();
    return (
      changed ?? trx.selectFrom('psa.customer_refs').selectAll().where('customer_id', '=', values.customer_id).executeTakeFirstOrThrow()
    );
  });
}
