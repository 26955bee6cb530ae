import type { Migration } from 'kysely';
import * as m0 from './2026_11_25_1200_create_sync.ts';
import * as m1 from './2026_11_25_1300_notify_job_events.ts';
import * as m2 from './2026_11_25_1400_richer_job_event_notice.ts';
import * as m3 from './2026_11_25_1500_create_audit_log.ts';
import * as m4 from './2026_12_01_1200_job_owner_register.ts';
import * as m5 from './2026_12_01_1600_job_trace_parent.ts';

/** Every migration of the sync schema, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '2026_11_25_1200_create_sync': m0,
  '2026_11_25_1300_notify_job_events': m1,
  '2026_11_25_1400_richer_job_event_notice': m2,
  '2026_11_25_1500_create_audit_log': m3,
  '2026_12_01_1200_job_owner_register': m4,
  '2026_12_01_1600_job_trace_parent': m5,
};
