import type { Kysely, Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { keysetPage, type PageArgs } from '../../../lib/pagination.ts';
import { containsPattern } from './like.ts';
import type { PsaDatabase, Resource } from './tables.ts';

type Db = Kysely<PsaDatabase> | Transaction<PsaDatabase>;

export type ResourceFilter = { role?: string | null; legalEntityId?: string | null; active?: boolean | null; nameContains?: string | null };

export function findResourcesByIds(db: Db, ids: readonly string[]): Promise<Resource[]> {
  return db.selectFrom('psa.resources').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function pageResources(db: Db, args: PageArgs & { filter?: ResourceFilter | null }) {
  const f = args.filter ?? {};
  let q = db.selectFrom('psa.resources as r').selectAll('r');
  if (f.role) q = q.where('r.role', '=', f.role);
  if (f.legalEntityId) q = q.where('r.legal_entity_id', '=', f.legalEntityId);
  if (f.active != null) q = q.where('r.active', '=', f.active);
  if (f.nameContains) q = q.where('r.name', 'ilike', containsPattern(f.nameContains));
  return keysetPage(q, { list: 'resources', args, sortColumn: 'r.name', direction: 'ASC', idColumn: 'r.id', id: (r) => r.id });
}
