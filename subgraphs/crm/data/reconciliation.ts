import { type Kysely, sql, type Transaction } from 'kysely';
import type { CrmDatabase } from './tables.ts';

// Read-only lookups for the hub's reconciliation (subgraphs/sync/reconciliation): one row per customer.

type Db = Kysely<CrmDatabase> | Transaction<CrmDatabase>;

export type CustomerPipelineRow = { id: string; name: string; open_opportunities: number; won_opportunities: number };

/** Every customer with its count of open and won opportunities. */
export async function customerPipelines(db: Db): Promise<CustomerPipelineRow[]> {
  const r = await sql<CustomerPipelineRow>`
    select c.id, c.name,
           count(o.id) filter (where o.stage not in ('CLOSED_WON', 'CLOSED_LOST'))::int as open_opportunities,
           count(o.id) filter (where o.stage = 'CLOSED_WON')::int as won_opportunities
    from crm.customers c left join crm.opportunities o on o.customer_id = c.id
    group by c.id, c.name
    order by c.id`.execute(db);
  return r.rows;
}
