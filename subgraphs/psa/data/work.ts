import type { Kysely, Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import type { Assignment, Contract, PsaDatabase, Task } from './tables.ts';

type Db = Kysely<PsaDatabase> | Transaction<PsaDatabase>;

export function findContractsOfProjects(db: Db, projectIds: readonly string[]): Promise<Contract[]> {
  return db.selectFrom('psa.contracts').selectAll().where('project_id', '=', anyOf(projectIds)).execute();
}

export function findTasksOfProjects(db: Db, projectIds: readonly string[]): Promise<Task[]> {
  return db.selectFrom('psa.tasks').selectAll().where('project_id', '=', anyOf(projectIds)).orderBy('name').orderBy('id').execute();
}

export function findAssignmentsOfProjects(db: Db, projectIds: readonly string[]): Promise<Assignment[]> {
  return db
    .selectFrom('psa.assignments')
    .selectAll()
    .where('project_id', '=', anyOf(projectIds))
    .orderBy('start_date')
    .orderBy('id')
    .execute();
}

export function findAssignmentsOfResources(db: Db, resourceIds: readonly string[]): Promise<Assignment[]> {
  return db
    .selectFrom('psa.assignments')
    .selectAll()
    .where('resource_id', '=', anyOf(resourceIds))
    .orderBy('start_date')
    .orderBy('id')
    .execute();
}
