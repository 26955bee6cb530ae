/** Billing-only input checks and date helpers; the checks every system shares are in lib/validate.ts. */
import { appError, badInput } from '../../../lib/errors.ts';

/** Minor units as the system API takes them: a safe integer, positive or (when allowed) zero. */
export function requireMinor(value: number, field: string, allowZero = false): number {
  if (!Number.isSafeInteger(value) || value < 0 || (!allowZero && value === 0)) {
    throw appError(
      'INVALID_MONEY',
      `${field} must be a ${allowZero ? 'non-negative' : 'positive'} whole number of minor units, got ${value}`,
      { field },
    );
  }
  return value;
}

export function requireTaxRate(bp: number, field = 'taxRateBp'): number {
  if (!Number.isInteger(bp) || bp < 0 || bp > 10000)
    throw badInput(`${field} must be whole basis points from 0 to 10000, got ${bp}`, field);
  return bp;
}

/** Calendar arithmetic on YYYY-MM-DD in UTC, so no time zone shifts the day. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Decimal hours with two places from whole minutes, rounded half up: 12.5 h -> "12.50". */
export function hoursDecimal(minutes: number): string {
  const hundredths = Math.floor((minutes * 100 * 2 + 60) / 120);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}
