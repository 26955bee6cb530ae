/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, UTC). Dates are strings only at the edges;
 * the string of each day is cached so millions of rows share a few hundred strings.
 */
const MS_PER_DAY = 86_400_000;
const dayStrings = new Map<number, string>();

export function parseDay(iso: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new Error(`not a YYYY-MM-DD date: ${iso}`);
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a valid date: ${iso}`);
  return Math.round(ms / MS_PER_DAY);
}

export function dayStr(day: number): string {
  let s = dayStrings.get(day);
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    dayStrings.set(day, s);
  }
  return s;
}

/** An instant on a day, `minutes` after midnight UTC, as an ISO timestamp. */
export function at(day: number, minutes = 0): string {
  return new Date(day * MS_PER_DAY + minutes * 60_000).toISOString();
}

/** 1 = Monday ... 7 = Sunday. */
export function isoDow(day: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function mondayOf(day: number): number {
  return day - (isoDow(day) - 1);
}

export function isWeekday(day: number): boolean {
  return isoDow(day) <= 5;
}

export function ymOf(day: number): { y: number; m: number } {
  const d = new Date(day * MS_PER_DAY);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1 };
}

export function monthStart(day: number): number {
  const { y, m } = ymOf(day);
  return Math.round(Date.UTC(y, m - 1, 1) / MS_PER_DAY);
}

/** First day of the month `n` months after the month of `day` (negative n goes back). */
export function addMonths(day: number, n: number): number {
  const { y, m } = ymOf(day);
  return Math.round(Date.UTC(y, m - 1 + n, 1) / MS_PER_DAY);
}

export function monthEnd(day: number): number {
  return addMonths(day, 1) - 1;
}

/** "2026-03" */
export function monthCode(day: number): string {
  return dayStr(day).slice(0, 7);
}

export function yearOf(day: number): number {
  return ymOf(day).y;
}

/** The next weekday on or after `day`. */
export function onOrNextWeekday(day: number): number {
  let d = day;
  while (!isWeekday(d)) d++;
  return d;
}

/** The Monday of the current week (UTC): the default "as of" date of the demo. */
export function defaultAsOf(now: Date): string {
  return dayStr(mondayOf(Math.floor(now.getTime() / MS_PER_DAY)));
}
