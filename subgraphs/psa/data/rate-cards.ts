import type { Kysely, Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { keysetPage, type PageArgs } from '../../../lib/pagination.ts';
import { containsPattern } from './like.ts';
import type { PsaDatabase, RateCard, RateCardRate, RateOverride } from './tables.ts';

type Db = Kysely<PsaDatabase> | Transaction<PsaDatabase>;

export type RateCardFilter = { currency?: string | null; nameContains?: string | null };

export function findRateCardsByIds(db: Db, ids: readonly string[]): Promise<RateCard[]> {
  return db.selectFrom('psa.rate_cards').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function findRatesOfRateCards(db: Db, rateCardIds: readonly string[], role?: string | null): Promise<RateCardRate[]> {
  let q = db.selectFrom('psa.rate_card_rates').selectAll().where('rate_card_id', '=', anyOf(rateCardIds));
  if (role) q = q.where('role', '=', role);
  return q.orderBy('role').orderBy('effective_from').orderBy('id').execute();
}

export function findOverridesOfProjects(db: Db, projectIds: readonly string[]): Promise<RateOverride[]> {
  return db
    .selectFrom('psa.rate_overrides')
    .selectAll()
    .where('project_id', '=', anyOf(projectIds))
    .orderBy('scope')
    .orderBy('effective_from')
    .orderBy('id')
    .execute();
}

export function pageRateCards(db: Db, args: PageArgs & { filter?: RateCardFilter | null }) {
  const f = args.filter ?? {};
  let q = db.selectFrom('psa.rate_cards as rc').selectAll('rc');
  if (f.currency) q = q.where('rc.currency', '=', f.currency);
  if (f.nameContains) q = q.where('rc.name', 'ilike', containsPattern(f.nameContains));
  return keysetPage(q, { list: 'rateCards', args, sortColumn: 'rc.name', direction: 'ASC', idColumn: 'rc.id', id: (r) => r.id });
}
