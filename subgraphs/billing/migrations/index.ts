import type { Migration } from 'kysely';
import * as m0 from './2026_11_25_1200_create_billing.ts';
import * as m1 from './2026_12_01_0900_money_edges.ts';
import * as m2 from './2026_12_01_1200_same_customer_keys.ts';

/** Every migration of the billing schema, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '2026_11_25_1200_create_billing': m0,
  '2026_12_01_0900_money_edges': m1,
  '2026_12_01_1200_same_customer_keys': m2,
};
