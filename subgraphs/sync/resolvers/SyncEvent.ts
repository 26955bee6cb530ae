import { load, type SyncContext } from '../context.ts';
import type { JobEvent } from '../data/tables.ts';

export const SyncEventResolvers = {
  sequence: (e: JobEvent) => String(e.sequence),
  job: (e: JobEvent, _: unknown, ctx: SyncContext) => load.job(ctx).load(e.job_id),
  // Free-form by design (each job kind has its own details); clients parse the JSON they care about.
  detail: (e: JobEvent) => JSON.stringify(e.detail ?? {}),
};
