import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, badInput } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireCurrency, requireText } from '../../../lib/validate.ts';
import { findPeriodByCode } from '../data/ledger.ts';
import type { Account, AccountType, ErpDatabase, LegalEntity, Period } from '../data/tables.ts';
import { requireLegalEntity } from './validate.ts';

type Db = Kysely<ErpDatabase>;

export type CreateLegalEntityInput = { id?: string | null; name: string; country: string; functionalCurrency: string };

export function createLegalEntity(db: Db, input: CreateLegalEntityInput): Promise<LegalEntity> {
  return inTransaction(db, async (trx) => {
    const name = requireText(input.name, 'name');
    if (!/^[A-Z]{2}$/.test(input.country))
      throw badInput(`country must be an ISO 3166 alpha-2 code such as "US", got ${JSON.stringify(input.country)}`, 'country');
    requireCurrency(input.functionalCurrency, 'functionalCurrency');
    const id = input.id ? requireText(input.id, 'id') : newId('le');
    const existing = await trx.selectFrom('erp.legal_entities').select('id').where('id', '=', id).executeTakeFirst();
    if (existing) throw appError('DUPLICATE', `LegalEntity ${id} already exists`, { field: 'id', id });
    return trx
      .insertInto('erp.legal_entities')
      .values({ id, name, country: input.country, functional_currency: input.functionalCurrency })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export type CreateAccountInput = { legalEntityId: string; code: string; name: string; type: AccountType };
const ACCOUNT_TYPES: ReadonlySet<string> = new Set(['ASSET', 'LIABILITY', 'EQUITY', 'REVENUE', 'EXPENSE']);

export function createAccount(db: Db, input: CreateAccountInput): Promise<Account> {
  return inTransaction(db, async (trx) => {
    await requireLegalEntity(trx, input.legalEntityId);
    const code = requireText(input.code, 'code');
    const name = requireText(input.name, 'name');
    if (!ACCOUNT_TYPES.has(input.type)) throw badInput(`type must be one of ${[...ACCOUNT_TYPES].join(', ')}`, 'type');
    const existing = await trx
      .selectFrom('erp.accounts')
      .select('code')
      .where('legal_entity_id', '=', input.legalEntityId)
      .where('code', '=', code)
      .executeTakeFirst();
    if (existing)
      throw appError('DUPLICATE', `Account ${code} already exists in legal entity ${input.legalEntityId}`, {
        field: 'code',
        accountCode: code,
      });
    return trx
      .insertInto('erp.accounts')
      .values({ legal_entity_id: input.legalEntityId, code, name, type: input.type })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** 'YYYY-MM' -> its first and last calendar day. */
export function monthBounds(code: string): { start: string; end: string } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(code);
  if (!m) throw badInput(`period code must be YYYY-MM, got ${JSON.stringify(code)}`, 'code');
  const year = Number(m[1]);
  const month = Number(m[2]);
  // Day 0 of the next month is the last day of this one, leap years included.
  const end = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  return { start: `${m[1]}-${m[2]}-01`, end };
}

/** Opens the calendar month `code` for posting. Idempotent: an existing period is returned as it is. */
export function openPeriod(db: Db, legalEntityId: string, code: string): Promise<Period> {
  return inTransaction(db, async (trx) => {
    await requireLegalEntity(trx, legalEntityId);
    const { start, end } = monthBounds(code);
    // Read first: once the period exists, sync batches posting into it never touch the unique index,
    // so none of them waits for another's open transaction.
    const existing = await findPeriodByCode(trx, legalEntityId, code);
    if (existing) return existing;
    await trx
      .insertInto('erp.periods')
      .values({ id: newId('per'), legal_entity_id: legalEntityId, code, start_date: start, end_date: end, status: 'OPEN', closed_at: null })
      .onConflict((oc) => oc.columns(['legal_entity_id', 'code']).doNothing())
      .execute();
    return (await findPeriodByCode(trx, legalEntityId, code))!;
  });
}

async function setPeriodStatus(db: Db, legalEntityId: string, code: string, status: 'OPEN' | 'CLOSED', at: Date): Promise<Period> {
  return inTransaction(db, async (trx) => {
    await requireLegalEntity(trx, legalEntityId);
    monthBounds(code);
    const period = await trx
      .selectFrom('erp.periods')
      .selectAll()
      .where('legal_entity_id', '=', legalEntityId)
      .where('code', '=', code)
      .forUpdate()
      .executeTakeFirst();
    if (!period)
      throw appError('PERIOD_NOT_FOUND', `Legal entity ${legalEntityId} has no period ${code}`, {
        field: 'code',
        legalEntityId,
        periodCode: code,
      });
    // Repeating a close or a reopen is harmless, so sync retries and double clicks succeed.
    if (period.status === status) return period;
    return trx
      .updateTable('erp.periods')
      .set({ status, closed_at: status === 'CLOSED' ? at : null })
      .where('id', '=', period.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** Closes a period at the instant `at`: no entry can be posted into it until it is reopened. Idempotent. */
export const closePeriod = (db: Db, legalEntityId: string, code: string, at: Date) =>
  setPeriodStatus(db, legalEntityId, code, 'CLOSED', at);

/** Reopens a closed period (a controlled correction). Idempotent. */
export const reopenPeriod = (db: Db, legalEntityId: string, code: string, at: Date) => setPeriodStatus(db, legalEntityId, code, 'OPEN', at);
