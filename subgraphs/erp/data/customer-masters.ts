import { anyOf } from '../../../lib/db.ts';
import type { Db } from './db.ts';
import type { CustomerMaster } from './tables.ts';

export function findMastersByCustomerIds(db: Db, customerIds: readonly string[]): Promise<CustomerMaster[]> {
  return db.selectFrom('erp.customer_masters').selectAll().where('customer_id', '=', anyOf(customerIds)).execute();
}
