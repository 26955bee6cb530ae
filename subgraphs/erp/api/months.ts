import { badInput } from '../../../lib/errors.ts';

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
