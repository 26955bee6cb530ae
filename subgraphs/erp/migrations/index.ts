import type { Migration } from 'kysely';
import * as m0 from './2026_11_25_1200_create_erp.ts';
import * as m1 from './2026_12_01_0900_money_edges.ts';
import * as m2 from './2026_12_01_1200_project_register.ts';

/** Every migration of the erp schema, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '2026_11_25_1200_create_erp': m0,
  '2026_12_01_0900_money_edges': m1,
  '2026_12_01_1200_project_register': m2,
};
