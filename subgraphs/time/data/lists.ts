import type { Kysely, Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import type { TimeDatabase, TimeProject, TimeResource } from './tables.ts';

type Db = Kysely<TimeDatabase> | Transaction<TimeDatabase>;

export function findResource(db: Db, id: string): Promise<TimeResource | undefined> {
  return db.selectFrom('time.resources').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findProject(db: Db, id: string): Promise<TimeProject | undefined> {
  return db.selectFrom('time.projects').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findProjectsByIds(db: Db, ids: readonly string[]): Promise<TimeProject[]> {
  return db.selectFrom('time.projects').selectAll().where('id', '=', anyOf(ids)).execute();
}
