import { type Kysely, sql, type Transaction } from 'kysely';
import type { BillingModel, ProjectStatus, PsaDatabase } from './tables.ts';

// Read-only lookups for the hub's reconciliation (subgraphs/sync/reconciliation): one row per project
// or customer asked about.

type Db = Kysely<PsaDatabase> | Transaction<PsaDatabase>;

export type ProjectStateRow = {
  id: string;
  code: string;
  customer_id: string;
  status: ProjectStatus;
  end_date: string | null;
  billing_model: BillingModel | null;
};

/** The PSA's view of these projects; ids it does not know get no row. */
export async function projectStates(db: Db, projectIds: readonly string[]): Promise<ProjectStateRow[]> {
  if (projectIds.length === 0) return [];
  const r = await sql<ProjectStateRow>`
    select p.id, p.code, p.customer_id, p.status, p.end_date, c.billing_model
    from psa.projects p left join psa.contracts c on c.project_id = p.id
    where p.id = any(${[...projectIds]}::text[])`.execute(db);
  return r.rows;
}

export type CustomerProjectCountRow = { customer_id: string; project_count: number };

/** How many projects each of these customers has; customers with none get no row. */
export async function projectCountsOfCustomers(db: Db, customerIds: readonly string[]): Promise<CustomerProjectCountRow[]> {
  if (customerIds.length === 0) return [];
  const r = await sql<CustomerProjectCountRow>`
    select customer_id, count(*)::int as project_count from psa.projects
    where customer_id = any(${[...customerIds]}::text[]) group by customer_id`.execute(db);
  return r.rows;
}
