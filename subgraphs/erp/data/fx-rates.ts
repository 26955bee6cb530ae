import type { Db } from './db.ts';
import type { FxRate } from './tables.ts';

/** The rate in force on `date`: the latest one published on or before it. */
export function findRateOnOrBefore(db: Db, from: string, to: string, date: string): Promise<FxRate | undefined> {
  return db
    .selectFrom('erp.fx_rates')
    .selectAll()
    .where('from_currency', '=', from)
    .where('to_currency', '=', to)
    .where('rate_date', '<=', date)
    .orderBy('rate_date', 'desc')
    .limit(1)
    .executeTakeFirst();
}
