import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import { migrations as billing } from '../subgraphs/billing/migrations/index.ts';
import { migrations as crm } from '../subgraphs/crm/migrations/index.ts';
import { migrations as erp } from '../subgraphs/erp/migrations/index.ts';
import { migrations as psa } from '../subgraphs/psa/migrations/index.ts';
import { migrations as sync } from '../subgraphs/sync/migrations/index.ts';
import { migrations as time } from '../subgraphs/time/migrations/index.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from './config.ts';

// Static imports rather than a folder scan: they work the same under tsx, vitest and a bundler.
const MIGRATIONS: Record<SubgraphName, Record<string, Migration>> = { crm, psa, time, billing, erp, sync };

/**
 * Each subgraph owns one PostgreSQL schema named after it, with its own migration table inside it,
 * so a system's history can be migrated, rolled back or moved out without touching the others.
 */
export function migratorFor(db: Kysely<any>, name: SubgraphName): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS[name] },
    migrationTableSchema: name,
    migrationTableName: 'kysely_migration',
    migrationLockTableName: 'kysely_migration_lock',
  });
}

export async function migrateAll(db: Kysely<any>, names: readonly SubgraphName[] = SUBGRAPH_NAMES): Promise<void> {
  for (const name of names) {
    await sql`create schema if not exists ${sql.id(name)}`.execute(db);
    const result: MigrationResultSet = await migratorFor(db, name).migrateToLatest();
    if (result.error) {
      const failed = result.results?.find((r) => r.status === 'Error');
      throw new Error(
        `Migration of ${name} failed${failed ? ` at ${failed.migrationName}` : ''}: ${String((result.error as Error).message ?? result.error)}`,
      );
    }
  }
}
