import { appError } from '../../../lib/errors.ts';
import type { Db } from '../data/db.ts';
import { findNextOpenPeriod, findPeriodForDate } from '../data/ledger.ts';
import type { Period } from '../data/tables.ts';

/** What to do when the entry date falls in a closed period. */
export type ClosedPeriodPolicy = 'FAIL' | 'NEXT_OPEN';

export type PostingTarget = { period: Period; date: string; note: string | null };

/**
 * The period and date an entry is posted on. A closed period fails (PERIOD_CLOSED) or, with
 * NEXT_OPEN, moves the entry to the first day of the next open period and says so in `note`.
 */
export async function resolvePostingPeriod(
  db: Db,
  legalEntityId: string,
  date: string,
  policy: ClosedPeriodPolicy,
): Promise<PostingTarget> {
  const period = await findPeriodForDate(db, legalEntityId, date);
  if (!period)
    throw appError('PERIOD_NOT_FOUND', `Legal entity ${legalEntityId} has no period covering ${date}`, {
      field: 'date',
      legalEntityId,
      date,
    });
  if (period.status === 'OPEN') return { period, date, note: null };
  if (policy !== 'NEXT_OPEN') {
    throw appError('PERIOD_CLOSED', `Period ${period.code} of legal entity ${legalEntityId} is closed`, {
      field: 'date',
      period: period.code,
    });
  }
  const next = await findNextOpenPeriod(db, legalEntityId, period.end_date);
  if (!next) {
    throw appError('PERIOD_CLOSED', `Period ${period.code} of legal entity ${legalEntityId} is closed and no later period is open`, {
      field: 'date',
      period: period.code,
    });
  }
  return {
    period: next,
    date: next.start_date,
    note: `Posted on ${next.start_date} (period ${next.code}) because period ${period.code} was closed on the original date ${date}.`,
  };
}

export function withNote(memo: string | null | undefined, note: string | null): string | null {
  const m = memo?.trim() || null;
  if (!note) return m;
  return m ? `${m} | ${note}` : note;
}
