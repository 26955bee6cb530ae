import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import type { SubgraphName } from './config.ts';

/** Every system's migrations by system name, in the order the systems migrate (subgraphs/index.ts supplies it). */
export type MigrationSets = ReadonlyArray<{ name: SubgraphName; migrations: Record<string, Migration> }>;

/**
 * Each subgraph owns one PostgreSQL schema named after it, with its own migration table inside it,
 * so a system's history can be migrated, rolled back or moved out without touching the others.
 */
export function migratorFor(db: Kysely<any>, name: SubgraphName, migrations: Record<string, Migration>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: name,
    migrationTableName: 'kysely_migration',
    migrationLockTableName: 'kysely_migration_lock',
  });
}

/** Migrates each given system to its latest migration; lib does not know the systems, the caller names them. */
export async function migrateAll(db: Kysely<any>, systems: MigrationSets): Promise<void> {
  for (const { name, migrations } of systems) {
    await sql`create schema if not exists ${sql.id(name)}`.execute(db);
    const result: MigrationResultSet = await migratorFor(db, name, migrations).migrateToLatest();
    if (result.error) {
      const failed = result.results?.find((r) => r.status === 'Error');
      throw new Error(
        `Migration of ${name} failed${failed ? ` at ${failed.migrationName}` : ''}: ${String((result.error as Error).message ?? result.error)}`,
      );
    }
  }
}
