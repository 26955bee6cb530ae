import { minutesToHours } from '../../../lib/hours.ts';
import type { MinutesSummary } from '../data/hours.ts';

/** A parent without any time has an all-zero summary, never null. */
export function hoursSummary(m: MinutesSummary | undefined) {
  const h = (minutes: number | undefined) => minutesToHours(minutes ?? 0);
  return {
    total: h(m?.total),
    draft: h(m?.draft),
    submitted: h(m?.submitted),
    approved: h(m?.approved),
    rejected: h(m?.rejected),
    billable: h(m?.billable),
    nonBillable: h(m?.non_billable),
    unbilled: h(m?.unbilled),
    billed: h(m?.billed),
    writtenOff: h(m?.written_off),
  };
}
