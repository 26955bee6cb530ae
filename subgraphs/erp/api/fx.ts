import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { badInput } from '../../../lib/errors.ts';
import { requireCurrency, requireDate } from '../../../lib/validate.ts';
import type { ErpDatabase, FxRate } from '../data/tables.ts';

// numeric(18,8): up to 10 integer digits and 8 decimals.
const RATE = /^\d{1,10}(\.\d{1,8})?$/;

/**
 * Publishes the rate for `date` (units of `to` per unit of `from`), replacing one already published
 * for that day. The rate is a decimal string so it is stored exactly.
 */
export function setFxRate(db: Kysely<ErpDatabase>, from: string, to: string, date: string, rate: string): Promise<FxRate> {
  return inTransaction(db, async (trx) => {
    requireCurrency(from, 'from');
    requireCurrency(to, 'to');
    if (from === to) throw badInput('from and to must be different currencies', 'to');
    requireDate(date, 'date');
    if (!RATE.test(rate) || !/[1-9]/.test(rate))
      throw badInput(`rate must be a positive decimal with at most 8 decimals, got ${JSON.stringify(rate)}`, 'rate');
    return trx
      .insertInto('erp.fx_rates')
      .values({ from_currency: from, to_currency: to, rate_date: date, rate })
      .onConflict((oc) => oc.columns(['from_currency', 'to_currency', 'rate_date']).doUpdateSet({ rate }))
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
