import type { Kysely, Transaction } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, badInput } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireCurrency, requireText } from '../../../lib/validate.ts';
import { findPeriodByCode } from '../data/ledger.ts';
import type { Account, AccountType, ErpDatabase, LegalEntity, Period } from '../data/tables.ts';
import { monthBounds } from './months.ts';
import { findLatestClosed } from './periods.ts';
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

export { monthBounds } from './months.ts';

/**
 * Opens the calendar month `code` for posting. Idempotent: an existing period is returned as it is.
 * Periods close in order, so a month before the latest closed period is closed by definition:
 * opening it is PERIODS_OUT_OF_ORDER (sync used to open such a month behind a closed one).
 */
export function openPeriod(db: Db, legalEntityId: string, code: string): Promise<Period> {
  return inTransaction(db, async (trx) => {
    await requireLegalEntity(trx, legalEntityId);
    const { start, end } = monthBounds(code);
    // Read first: once the period exists, sync batches posting into it never touch the unique index,
    // so none of them waits for another's open transaction.
    const existing = await findPeriodByCode(trx, legalEntityId, code);
    if (existing) return existing;
    const latest = await findLatestClosed(trx, legalEntityId);
    if (latest && latest.start_date > start)
      throw appError(
        'PERIODS_OUT_OF_ORDER',
        `Period ${code} is before the closed period ${latest.code} of ${legalEntityId}; it cannot be opened`,
        {
          field: 'code',
          closedPeriod: latest.code,
        },
      );
    await trx
      .insertInto('erp.periods')
      .values({ id: newId('per'), legal_entity_id: legalEntityId, code, start_date: start, end_date: end, status: 'OPEN', closed_at: null })
      .onConflict((oc) => oc.columns(['legal_entity_id', 'code']).doNothing())
      .execute();
    return (await findPeriodByCode(trx, legalEntityId, code))!;
  });
}

export type PeriodAction = { at: Date; actor?: string | null; reason?: string | null };

async function lockPeriod(trx: Transaction<ErpDatabase>, legalEntityId: string, code: string): Promise<Period> {
  await requireLegalEntity(trx, legalEntityId);
  monthBounds(code);
  // FOR UPDATE waits for every posting that holds the period FOR SHARE (periods.ts).
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
  return period;
}

/**
 * Closes a period at `at`: no entry can be posted into it until it is reopened. Idempotent. Periods
 * close in order: an earlier period still open is PERIODS_OUT_OF_ORDER. The close waits for postings
 * in flight into the period and records who closed it (erp.period_events).
 */
export function closePeriod(db: Db, legalEntityId: string, code: string, at: Date, actor: string | null = null): Promise<Period> {
  return inTransaction(db, async (trx) => {
    const period = await lockPeriod(trx, legalEntityId, code);
    // Repeating a close is harmless, so sync retries and double clicks succeed.
    if (period.status === 'CLOSED') return period;
    const earlier = await trx
      .selectFrom('erp.periods')
      .select('code')
      .where('legal_entity_id', '=', legalEntityId)
      .where('status', '=', 'OPEN')
      .where('start_date', '<', period.start_date)
      .orderBy('start_date')
      .limit(1)
      .executeTakeFirst();
    if (earlier)
      throw appError('PERIODS_OUT_OF_ORDER', `Close ${earlier.code} of ${legalEntityId} before ${code}: periods close in order`, {
        field: 'code',
        openPeriod: earlier.code,
      });
    await trx.insertInto('erp.period_events').values({ period_id: period.id, action: 'CLOSE', actor, reason: null, at }).execute();
    return trx
      .updateTable('erp.periods')
      .set({ status: 'CLOSED', closed_at: at })
      .where('id', '=', period.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/**
 * Reopens a closed period (a controlled correction): only the latest closed one, so the closed
 * periods stay a prefix (PERIODS_OUT_OF_ORDER otherwise), and only with a reason, recorded with the
 * actor in erp.period_events. Who may reopen is the resolver's rule (admins). Idempotent.
 */
export function reopenPeriod(
  db: Db,
  legalEntityId: string,
  code: string,
  at: Date,
  actor: string | null = null,
  reason: string | null = null,
): Promise<Period> {
  return inTransaction(db, async (trx) => {
    const period = await lockPeriod(trx, legalEntityId, code);
    if (period.status === 'OPEN') return period;
    const why = reason?.trim();
    if (!why) throw badInput('Reopening a closed period needs a reason', 'reason');
    const later = await trx
      .selectFrom('erp.periods')
      .select('code')
      .where('legal_entity_id', '=', legalEntityId)
      .where('status', '=', 'CLOSED')
      .where('start_date', '>', period.start_date)
      .orderBy('start_date', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (later)
      throw appError('PERIODS_OUT_OF_ORDER', `Reopen ${later.code} of ${legalEntityId} first: periods reopen from the latest`, {
        field: 'code',
        closedPeriod: later.code,
      });
    await trx.insertInto('erp.period_events').values({ period_id: period.id, action: 'REOPEN', actor, reason: why, at }).execute();
    return trx
      .updateTable('erp.periods')
      .set({ status: 'OPEN', closed_at: null })
      .where('id', '=', period.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
