/**
 * Where business time comes from. Dates that decide a result (a deal's win, a timesheet's approval,
 * an invoice's default issue date, a report's default as-of day) are read from the clock a process is
 * given, never from `new Date()` in the code that decides: a test or a replay fixes the clock, and
 * the result depends only on its inputs. Operational timing (timeouts, latencies, token expiry,
 * retry back-off) stays on the real clock.
 */
export type Clock = { now: () => Date };

/** The host's clock: what `npm start` and production processes run on. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that reads `startAt` when created and then runs at real speed: dates are fixed by the
 * caller, and events keep their order (an approval after its submission) as on a real clock.
 */
export function clockStartingAt(startAt: string | Date): Clock {
  const start = new Date(startAt).getTime();
  if (Number.isNaN(start)) throw new RangeError(`Not an instant: ${String(startAt)}`);
  const origin = performance.now();
  return { now: () => new Date(start + Math.floor(performance.now() - origin)) };
}

/** The calendar day of the clock, in UTC (the hub's business day). */
export function today(clock: Clock): string {
  return clock.now().toISOString().slice(0, 10);
}
