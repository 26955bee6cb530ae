/**
 * Input checks only the PSA's system API needs; the checks every system shares are in
 * lib/validate.ts. Each throws the registry code a client can act on.
 */
import { badInput } from '../../../lib/errors.ts';
import { hoursToMinutes } from '../../../lib/hours.ts';

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
