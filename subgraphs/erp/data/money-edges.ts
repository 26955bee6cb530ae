import { anyOf } from '../../../lib/db.ts';
import type { Db } from './db.ts';
import type { CustomerCreditBalance, PeriodEvent, Refund, WriteOff } from './tables.ts';

/** Customers' credit balances above zero, per currency. */
export function findCustomerCredits(db: Db, customerIds: readonly string[]): Promise<CustomerCreditBalance[]> {
  return db
    .selectFrom('erp.customer_credit_balances')
    .selectAll()
    .where('customer_id', '=', anyOf(customerIds))
    .where('balance_minor', '>', 0)
    .orderBy('currency')
    .execute();
}

export function findPeriodEvents(db: Db, periodIds: readonly string[]): Promise<PeriodEvent[]> {
  return db.selectFrom('erp.period_events').selectAll().where('period_id', '=', anyOf(periodIds)).orderBy('id').execute();
}

export function findWriteOffsByIds(db: Db, ids: readonly string[]): Promise<WriteOff[]> {
  return db.selectFrom('erp.write_offs').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function findRefundsByIds(db: Db, ids: readonly string[]): Promise<Refund[]> {
  return db.selectFrom('erp.refunds').selectAll().where('id', '=', anyOf(ids)).execute();
}
