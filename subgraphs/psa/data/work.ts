import type { Kysely, Transaction } from 'kysely';
import type { Assignment, Contract, PsaDatabase, Task } from './tables.ts';

type Db = Kysely<PsaDatabase> | Transaction<PsaDatabase>;

export function findContractsOfProjects(db: Db, projectIds: readonly string[]): Promise<Contract[]> {
  return db.selectFrom('psa.contracts').selectAll().where('project_id', 'in', [...projectIds]).execute();
}

export function findTasksOfProjects(db: Db, projectIds: readonly string[]): Promise<Task[]> {
  return db.selectFrom('psa.tasks').selectAll().where('project_id', 'in', [...projectIds]).orderBy('name').orderBy('id').execute();
}

export function findAssignmentsOfProjects(db: Db, projectIds: readonly string[]): Promise<Assignment[]> {
  return db.selectFrom('psa.assignments').selectAll().where('project_id', 'in', [...projectIds]).orderBy('start_date').orderBy('id').execute();
}

export function findAssignmentsOfResources(db: Db, resourceIds: readonly string[]): Promise<Assignment[]> {
  return db.selectFrom('psa.assignments').selectAll().where('resource_id', 'in', [...resourceIds]).orderBy('start_date').orderBy('id').execute();
}
