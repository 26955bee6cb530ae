/** Input checks shared by the PSA's system API. Each throws the registry code a client can act on. */
import { appError, badInput } from '../../../lib/errors.ts';
import { hoursToMinutes } from '../../../lib/hours.ts';
import { CURRENCY_EXPONENTS, parseMoney } from '../../../lib/money.ts';
import { isIsoDate } from '../../../lib/scalars.ts';

export function requireText(value: string | null | undefined, field: string): string {
  const v = value?.trim();
  if (!v) throw badInput(`${field} must not be empty`, field);
  return v;
}

export function requireCurrency(currency: string | null | undefined, field: string): string {
  if (!currency || !(currency in CURRENCY_EXPONENTS)) throw appError('INVALID_MONEY', `${field}: unknown currency ${JSON.stringify(currency)}`, { field, currency });
  return currency;
}

/** A decimal string in `currency` as minor units; refuses negatives, and zero unless allowed. */
export function moneyInput(amount: string, currency: string, field: string, opts: { allowZero: boolean } = { allowZero: true }): number {
  const minor = parseMoney(amount, currency, field);
  if (minor < 0 || (!opts.allowZero && minor === 0)) throw appError('INVALID_MONEY', `${field} must be ${opts.allowZero ? 'zero or more' : 'positive'}, got "${amount}"`, { field });
  return minor;
}

export function requireDate(value: string, field: string): string {
  if (!isIsoDate(value)) throw badInput(`${field} must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(value)}`, field);
  return value;
}

/** ISO dates compare correctly as strings. */
export function requireDateOrder(start: string, end: string | null | undefined, field = 'endDate'): void {
  if (end != null && end < start) throw badInput(`${field} ${end} is before the start date ${start}`, field);
}

/** Planned or budgeted hours: zero allowed (nothing planned yet), otherwise quarter-hour steps. */
export function plannedMinutes(hours: number, field: string, maxHours = 1_000_000): number {
  return hours === 0 ? 0 : hoursToMinutes(hours, field, maxHours);
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;

export function optionalEmail(email: string | null | undefined): string | null {
  const v = email?.trim();
  if (!v) return null;
  if (!EMAIL.test(v)) throw badInput(`email "${v}" is not an e-mail address`, 'email');
  return v.toLowerCase();
}
