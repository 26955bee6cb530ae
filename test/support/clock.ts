import { type Clock, clockStartingAt } from '../../lib/clock.ts';

/**
 * The business "now" of the tests: noon of the demo seed's as-of day (2026-11-23, a Monday). Every
 * graph and subgraph a test starts runs on a clock that starts here, so no result depends on the
 * day the suite runs.
 */
export const TEST_NOW = '2026-11-23T12:00:00.000Z';

export function testClock(startAt: string = TEST_NOW): Clock {
  return clockStartingAt(startAt);
}
