import { type Kysely, sql, type Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { keysetPage, type PageArgs, type SortDirection } from '../../../lib/pagination.ts';
import type { Contact, CrmDatabase, Customer } from './tables.ts';

type Db = Kysely<CrmDatabase> | Transaction<CrmDatabase>;

export type CustomerFilter = {
  nameContains?: string | null;
  region?: string | null;
  industry?: string | null;
  parentId?: string | null;
  topLevelOnly?: boolean | null;
};
export type CustomerOrder = { field: 'NAME' | 'CREATED_AT'; direction: SortDirection };

const SORT_COLUMNS = { NAME: 'c.name', CREATED_AT: 'c.created_at' } as const;

export function findCustomersByIds(db: Db, ids: readonly string[]): Promise<Customer[]> {
  return db.selectFrom('crm.customers').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function findChildrenOfCustomers(db: Db, parentIds: readonly string[]): Promise<Customer[]> {
  return db.selectFrom('crm.customers').selectAll().where('parent_id', '=', anyOf(parentIds)).orderBy('name').orderBy('id').execute();
}

export function findContactsOfCustomers(db: Db, customerIds: readonly string[]): Promise<Contact[]> {
  return db.selectFrom('crm.contacts').selectAll().where('customer_id', '=', anyOf(customerIds)).orderBy('name').orderBy('id').execute();
}

export function pageCustomers(db: Db, args: PageArgs & { filter?: CustomerFilter | null; orderBy?: CustomerOrder | null }) {
  const f = args.filter ?? {};
  let q = db.selectFrom('crm.customers as c').selectAll('c');
  if (f.nameContains) q = q.where('c.name', 'ilike', `%${f.nameContains.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  if (f.region) q = q.where('c.region', '=', f.region);
  if (f.industry) q = q.where('c.industry', '=', f.industry);
  if (f.parentId) q = q.where('c.parent_id', '=', f.parentId);
  if (f.topLevelOnly) q = q.where('c.parent_id', 'is', null);
  const order = args.orderBy ?? { field: 'NAME', direction: 'ASC' };
  const column = SORT_COLUMNS[order.field];
  return keysetPage(q, {
    list: 'customers',
    args,
    sortColumn: column,
    direction: order.direction,
    idColumn: 'c.id',
    id: (r) => r.id,
  });
}

/** True when making `parentId` the parent of `id` would close a loop in the hierarchy. */
export async function wouldCreateCycle(db: Db, id: string, parentId: string): Promise<boolean> {
  if (id === parentId) return true;
  const row = await sql<{ found: boolean }>`
    with recursive up(id, parent_id) as (
      select id, parent_id from crm.customers where id = ${parentId}
      union all
      select c.id, c.parent_id from crm.customers c join up on c.id = up.parent_id
    )
    select exists(select 1 from up where id = ${id}) as found`.execute(db);
  return row.rows[0]?.found ?? false;
}
