import { appError, badInput } from '../../../lib/errors.ts';
import { exponentOf, parseMoney } from '../../../lib/money.ts';
import { isIsoDate } from '../../../lib/scalars.ts';
import type { Db } from '../data/db.ts';
import { findLegalEntity } from '../data/ledger.ts';
import type { LegalEntity } from '../data/tables.ts';

// The system API is also called by sync jobs, which bypass GraphQL's own type checks.

export function requireText(value: string | null | undefined, field: string): string {
  const v = value?.trim();
  if (!v) throw badInput(`${field} must not be empty`, field);
  return v;
}

export function requireDate(value: string, field: string): string {
  if (!isIsoDate(value)) throw badInput(`${field} must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(value)}`, field);
  return value;
}

/** Throws INVALID_MONEY for a currency the hub does not know. */
export function requireCurrency(currency: string, field = 'currency'): string {
  try {
    exponentOf(currency);
  } catch {
    throw appError('INVALID_MONEY', `Unknown currency ${JSON.stringify(currency)}`, { field, currency });
  }
  return currency;
}

/** A decimal amount that must be strictly positive, in minor units. */
export function positiveMoney(amount: string, currency: string, field: string): number {
  const minor = parseMoney(amount, currency, field);
  if (minor <= 0) throw appError('INVALID_MONEY', `${field} must be greater than zero, got "${amount}"`, { field });
  return minor;
}

export async function requireLegalEntity(db: Db, id: string, field = 'legalEntityId'): Promise<LegalEntity> {
  const le = await findLegalEntity(db, id);
  if (!le) throw appError('NOT_FOUND', `LegalEntity ${id} does not exist`, { type: 'LegalEntity', id, field });
  return le;
}

