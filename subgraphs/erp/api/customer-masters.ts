import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { badInput } from '../../../lib/errors.ts';
import { requireCurrency, requireMoney, requirePaymentTermsDays, requireText } from '../../../lib/validate.ts';
import type { CustomerMaster, CustomerMasterStatus, ErpDatabase } from '../data/tables.ts';
import { requireLegalEntity } from './validate.ts';

export type CustomerFinancialMasterInput = {
  name: string;
  legalEntityId: string;
  currency: string;
  taxCode?: string | null;
  paymentTermsDays?: number | null;
  /** Decimal string in the master's currency; zero when absent. */
  creditLimit?: string | null;
  status?: CustomerMasterStatus | null;
};

const STATUSES: ReadonlySet<string> = new Set(['ACTIVE', 'ON_HOLD', 'INACTIVE']);

/**
 * Creates or replaces the financial master of a customer. `afterWrite` runs inside the same
 * transaction: the master-data sync enqueues its crm/psa updates there, so they commit with the change.
 */
export function upsertCustomerFinancialMaster(
  db: Kysely<ErpDatabase>,
  customerId: string,
  input: CustomerFinancialMasterInput,
  afterWrite?: (trx: Kysely<ErpDatabase>, master: CustomerMaster) => Promise<void>,
): Promise<CustomerMaster> {
  return inTransaction(db, async (trx) => {
    const id = requireText(customerId, 'customerId');
    const name = requireText(input.name, 'name');
    await requireLegalEntity(trx, input.legalEntityId);
    requireCurrency(input.currency);
    const terms = input.paymentTermsDays ?? null;
    if (terms !== null) requirePaymentTermsDays(terms);
    const creditLimit = input.creditLimit == null ? 0 : requireMoney(input.creditLimit, input.currency, 'creditLimit');
    const status = input.status ?? 'ACTIVE';
    if (!STATUSES.has(status)) throw badInput(`status must be one of ${[...STATUSES].join(', ')}`, 'status');
    const values = {
      name,
      legal_entity_id: input.legalEntityId,
      currency: input.currency,
      tax_code: input.taxCode?.trim() || null,
      payment_terms_days: terms,
      credit_limit_minor: creditLimit,
      status,
      updated_at: new Date(),
    };
    const master = await trx
      .insertInto('erp.customer_masters')
      .values({ customer_id: id, ...values })
      .onConflict((oc) => oc.column('customer_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    if (afterWrite) await afterWrite(trx, master);
    return master;
  });
}
