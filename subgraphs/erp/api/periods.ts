import type { Transaction } from 'kysely';
import { appError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import type { ErpDatabase, Period } from '../data/tables.ts';
import { monthBounds } from './months.ts';

type Trx = Transaction<ErpDatabase>;

/** What to do when the entry date falls in a closed period. */
export type ClosedPeriodPolicy = 'FAIL' | 'NEXT_OPEN';

export type PeriodRules = { closedPeriodPolicy: ClosedPeriodPolicy; autoOpen: boolean };

export type PostingTarget = { period: Period; date: string; note: string | null };

/**
 * The period and date an entry is posted on, with the period row locked FOR SHARE until the posting
 * commits. A close locks the row FOR UPDATE, so it waits for the postings in flight, and a posting
 * that starts while a close is committing waits for it and sees the period CLOSED (it used to read
 * the period without a lock and insert into it right after the close committed).
 *
 * Periods close in order, so a month before the latest closed one is closed too, whether its period
 * exists or not: it is never opened behind a closed one. A closed date fails (PERIOD_CLOSED) or,
 * with NEXT_OPEN, moves to the first day of the first open period after the closed ones. A month
 * without a period is opened by its first posting when `autoOpen` is on (the mapping's
 * money.periods.autoOpen), else PERIOD_NOT_FOUND.
 */
export async function resolvePostingPeriod(trx: Trx, legalEntityId: string, date: string, rules: PeriodRules): Promise<PostingTarget> {
  const period = await lockPeriodForDate(trx, legalEntityId, date);
  if (period?.status === 'OPEN') return { period, date, note: null };
  if (period) return closedTarget(trx, legalEntityId, date, period, rules);
  const latestClosed = await findLatestClosed(trx, legalEntityId);
  if (latestClosed && latestClosed.end_date >= date) return closedTarget(trx, legalEntityId, date, latestClosed, rules, true);
  if (!rules.autoOpen)
    throw appError('PERIOD_NOT_FOUND', `Legal entity ${legalEntityId} has no period covering ${date}`, {
      field: 'date',
      legalEntityId,
      date,
    });
  const opened = await openMonth(trx, legalEntityId, date.slice(0, 7));
  if (opened.status === 'OPEN') return { period: opened, date, note: null };
  return closedTarget(trx, legalEntityId, date, opened, rules);
}

async function closedTarget(
  trx: Trx,
  legalEntityId: string,
  date: string,
  closed: Period,
  rules: PeriodRules,
  behind = false,
): Promise<PostingTarget> {
  const month = date.slice(0, 7);
  const why = behind ? `${month} is before the closed period ${closed.code}` : `period ${closed.code} was closed`;
  if (rules.closedPeriodPolicy !== 'NEXT_OPEN')
    throw appError(
      'PERIOD_CLOSED',
      behind
        ? `Legal entity ${legalEntityId}: ${month} is before the closed period ${closed.code}, so it is closed too`
        : `Period ${closed.code} of legal entity ${legalEntityId} is closed`,
      { field: 'date', period: behind ? month : closed.code },
    );
  // The first open period after the closed one; with none, the month after the latest closed period
  // is opened (when the rules allow), so the closed periods stay a prefix.
  let next = await trx
    .selectFrom('erp.periods')
    .selectAll()
    .where('legal_entity_id', '=', legalEntityId)
    .where('status', '=', 'OPEN')
    .where('start_date', '>', closed.end_date)
    .orderBy('start_date')
    .limit(1)
    .forShare()
    .executeTakeFirst();
  if (!next && rules.autoOpen) {
    const latest = (await findLatestClosed(trx, legalEntityId)) ?? closed;
    next = await openMonth(trx, legalEntityId, monthAfter(latest.end_date));
  }
  if (next?.status !== 'OPEN')
    throw appError('PERIOD_CLOSED', `Period ${closed.code} of legal entity ${legalEntityId} is closed and no later period is open`, {
      field: 'date',
      period: closed.code,
    });
  return {
    period: next,
    date: next.start_date,
    note: `Posted on ${next.start_date} (period ${next.code}) because ${why} on the original date ${date}.`,
  };
}

function lockPeriodForDate(trx: Trx, legalEntityId: string, date: string): Promise<Period | undefined> {
  return trx
    .selectFrom('erp.periods')
    .selectAll()
    .where('legal_entity_id', '=', legalEntityId)
    .where('start_date', '<=', date)
    .where('end_date', '>=', date)
    .forShare()
    .executeTakeFirst();
}

export function findLatestClosed(trx: Trx, legalEntityId: string): Promise<Period | undefined> {
  return trx
    .selectFrom('erp.periods')
    .selectAll()
    .where('legal_entity_id', '=', legalEntityId)
    .where('status', '=', 'CLOSED')
    .orderBy('start_date', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Creates the month's period if missing (concurrent creators find one row) and locks it FOR SHARE. */
async function openMonth(trx: Trx, legalEntityId: string, code: string): Promise<Period> {
  const { start, end } = monthBounds(code);
  await trx
    .insertInto('erp.periods')
    .values({ id: newId('per'), legal_entity_id: legalEntityId, code, start_date: start, end_date: end, status: 'OPEN', closed_at: null })
    .onConflict((oc) => oc.columns(['legal_entity_id', 'code']).doNothing())
    .execute();
  return trx
    .selectFrom('erp.periods')
    .selectAll()
    .where('legal_entity_id', '=', legalEntityId)
    .where('code', '=', code)
    .forShare()
    .executeTakeFirstOrThrow();
}

function monthAfter(date: string): string {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 7);
}

export function withNote(memo: string | null | undefined, note: string | null): string | null {
  const m = memo?.trim() || null;
  if (!note) return m;
  return m ? `${m} | ${note}` : note;
}
