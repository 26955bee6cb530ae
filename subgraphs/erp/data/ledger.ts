import { sql } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { accountKey, type Db } from './db.ts';
import type { Account, LegalEntity, Period, PeriodStatus } from './tables.ts';

export function listLegalEntities(db: Db): Promise<LegalEntity[]> {
  return db.selectFrom('erp.legal_entities').selectAll().orderBy('name').orderBy('id').execute();
}

export function findLegalEntitiesByIds(db: Db, ids: readonly string[]): Promise<LegalEntity[]> {
  return db.selectFrom('erp.legal_entities').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function findLegalEntity(db: Db, id: string): Promise<LegalEntity | undefined> {
  return db.selectFrom('erp.legal_entities').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAccountsOfEntities(db: Db, legalEntityIds: readonly string[]): Promise<Account[]> {
  return db.selectFrom('erp.accounts').selectAll().where('legal_entity_id', '=', anyOf(legalEntityIds)).orderBy('code').execute();
}

/** Accounts by `accountKey`s, in one statement whatever the number of keys. */
export function findAccountsByKeys(db: Db, keys: readonly string[]): Promise<Account[]> {
  const pairs = keys.map((k) => JSON.parse(k) as [string, string]);
  return db
    .selectFrom('erp.accounts')
    .selectAll()
    .where(sql<boolean>`(legal_entity_id, code) in (${sql.join(pairs.map(([le, code]) => sql`(${le}, ${code})`))})`)
    .execute();
}

export const keyOfAccount = (a: Account): string => accountKey(a.legal_entity_id, a.code);

export function findPeriodsByIds(db: Db, ids: readonly string[]): Promise<Period[]> {
  return db.selectFrom('erp.periods').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function findPeriodsOfEntities(db: Db, legalEntityIds: readonly string[], status?: PeriodStatus | null): Promise<Period[]> {
  let q = db.selectFrom('erp.periods').selectAll().where('legal_entity_id', '=', anyOf(legalEntityIds));
  if (status) q = q.where('status', '=', status);
  return q.orderBy('start_date').execute();
}

export function findPeriodByCode(db: Db, legalEntityId: string, code: string): Promise<Period | undefined> {
  return db.selectFrom('erp.periods').selectAll().where('legal_entity_id', '=', legalEntityId).where('code', '=', code).executeTakeFirst();
}

export function findPeriodForDate(db: Db, legalEntityId: string, date: string): Promise<Period | undefined> {
  return db
    .selectFrom('erp.periods')
    .selectAll()
    .where('legal_entity_id', '=', legalEntityId)
    .where('start_date', '<=', date)
    .where('end_date', '>=', date)
    .executeTakeFirst();
}

/** The first open period that starts after `date`, for the NEXT_OPEN posting policy. */
export function findNextOpenPeriod(db: Db, legalEntityId: string, date: string): Promise<Period | undefined> {
  return db
    .selectFrom('erp.periods')
    .selectAll()
    .where('legal_entity_id', '=', legalEntityId)
    .where('status', '=', 'OPEN')
    .where('start_date', '>', date)
    .orderBy('start_date')
    .limit(1)
    .executeTakeFirst();
}
