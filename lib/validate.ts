/**
 * Input checks shared by the systems' APIs. Each system validates everything written to it because
 * its API is also called by sync jobs, which bypass GraphQL's own type checks (a `Date!` argument
 * is checked by the scalar, the same value from a job payload is not). Each check throws the
 * registry code a client can act on, with the offending `field` in the error's extensions.
 *
 * Checks that only one system needs (minor-unit amounts in billing, planned hours in the PSA, legal
 * entities in the erp) stay in that system's api/ folder.
 */
import { appError, badInput } from './errors.ts';
import { isKnownCurrency, parseMoney } from './money.ts';
import { isIsoDate } from './scalars.ts';

/**
 * The trimmed text. Throws BAD_USER_INPUT when it is missing, empty or only white space, so a
 * blank name or id never reaches a NOT NULL column as `''`.
 */
export function requireText(value: string | null | undefined, field: string): string {
  const v = value?.trim();
  if (!v) throw badInput(`${field} must not be empty`, field);
  return v;
}

/** A real calendar date as YYYY-MM-DD (not 2026-02-30), returned unchanged; BAD_USER_INPUT otherwise. */
export function requireDate(value: string, field: string): string {
  if (!isIsoDate(value)) throw badInput(`${field} must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(value)}`, field);
  return value;
}

/** A currency code the hub knows (lib/money.ts), returned unchanged; INVALID_MONEY otherwise, also for a missing one. */
export function requireCurrency(currency: string | null | undefined, field = 'currency'): string {
  if (currency == null || !isKnownCurrency(currency)) {
    throw appError('INVALID_MONEY', `${field}: unknown currency ${JSON.stringify(currency)}`, { field, currency });
  }
  return currency;
}

/**
 * A decimal amount in `currency` ("1234.50") as minor units. Refuses negatives and, unless
 * `allowZero` (the default), zero; malformed amounts and too many decimals fail in `parseMoney`.
 * All with INVALID_MONEY.
 */
export function requireMoney(amount: string, currency: string, field: string, { allowZero = true }: { allowZero?: boolean } = {}): number {
  const minor = parseMoney(amount, currency, field);
  if (minor < 0 || (!allowZero && minor === 0)) {
    throw appError('INVALID_MONEY', `${field} must be ${allowZero ? 'zero or more' : 'positive'}, got "${amount}"`, { field });
  }
  return minor;
}

/** Payment terms as whole days from 0 to 365 (the range of billing's and erp's check constraints); BAD_USER_INPUT otherwise. */
export function requirePaymentTermsDays(days: number, field = 'paymentTermsDays'): number {
  if (!Number.isInteger(days) || days < 0 || days > 365)
    throw badInput(`${field} must be a whole number of days from 0 to 365, got ${days}`, field);
  return days;
}
