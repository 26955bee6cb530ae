import { appError } from './errors.ts';

/**
 * Time is stored as whole minutes. Hours arrive as decimals with quarter-hour precision; a quarter
 * hour is an exact binary fraction, so a GraphQL Float carries it without loss.
 */
/** `maxHours` is 24 for one time entry; planned or sold hours pass a larger bound. */
export function hoursToMinutes(hours: number, field = 'hours', maxHours = 24): number {
  if (!Number.isFinite(hours) || hours <= 0) throw appError('INVALID_HOURS', `${field} must be positive, got ${hours}`, { field });
  if (hours > maxHours) throw appError('INVALID_HOURS', `${field} cannot exceed ${maxHours}, got ${hours}`, { field });
  const quarters = hours * 4;
  if (!Number.isInteger(quarters)) throw appError('INVALID_HOURS', `${field} must be in quarter-hour steps, got ${hours}`, { field });
  return quarters * 15;
}

export function minutesToHours(minutes: number | bigint | string): number {
  return Number(minutes) / 60;
}
