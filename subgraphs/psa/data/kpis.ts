import { type Kysely, sql, type Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import type { PsaDatabase } from './tables.ts';

// Read-only aggregates for the hub's KPIs (subgraphs/sync/kpis): the dimensions every KPI is broken
// down by, and capacity. One statement each, whatever the number of projects.

type Db = Kysely<PsaDatabase> | Transaction<PsaDatabase>;

export type ProjectDimensionRow = { id: string; legal_entity_id: string; service_line: string };

/** The legal entity and service line of each project asked for (unknown ids are left out). */
export function projectDimensions(db: Db, ids: readonly string[]): Promise<ProjectDimensionRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('psa.projects').select(['id', 'legal_entity_id', 'service_line']).where('id', '=', anyOf(ids)).execute();
}

export type EntityCapacityRow = { legal_entity_id: string; minutes_per_week: number };

/** Weekly capacity of the active resources of each legal entity. */
export async function capacityByLegalEntity(db: Db): Promise<EntityCapacityRow[]> {
  const r = await sql<EntityCapacityRow>`
    select legal_entity_id, sum(capacity_minutes_per_week)::bigint as minutes_per_week
    from psa.resources where active group by legal_entity_id order by legal_entity_id`.execute(db);
  return r.rows;
}
