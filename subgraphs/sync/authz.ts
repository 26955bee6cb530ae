import { type AuthzPolicy, asIs, pinFilterCustomer } from '../../lib/authz.ts';
import { load, type SyncContext } from './context.ts';
import type { Job, JobEvent } from './data/tables.ts';

/**
 * Sync rules: a portal user follows the jobs of its own customer (list, one job, one event of its
 * jobs for the live stream); the global stream, stats, reconciliation and the audit log are not its.
 */
export const syncPolicy: AuthzPolicy = {
  portal: {
    queries: { syncJobs: pinFilterCustomer, syncJob: asIs, syncEvent: asIs, syncEvents: pinFilterCustomer, syncEventHead: asIs },
    owners: {
      Customer: (c: { id: string }) => c.id,
      SyncJob: (j: Job) => j.customer_id,
      // `syncEvent` carries its job's customer; an event listed under its job loads the job (cached per request).
      SyncEvent: async (e: JobEvent & { customer_id?: string | null }, ctx: SyncContext) =>
        e.customer_id !== undefined ? e.customer_id : ((await load.job(ctx).load(e.job_id))?.customer_id ?? null),
    },
    parts: [
      'Money',
      'PageInfo',
      'SyncSource',
      'SyncTarget',
      'SyncError',
      'SyncAttempt',
      'ArDifference',
      'SyncJobConnection',
      'SyncJobEdge',
    ],
    // Sync adds the jobs of an invoice; each job is judged by its own customer.
    references: ['Invoice'],
    restricted: {
      // A project's reconciliation slice is the firm's operations view (and computed from every
      // system's tables, not from a row sync could judge): a portal user gets its jobs only.
      Project: ['id', 'syncJobs'],
      JournalEntry: ['id'],
    },
  },
  roles: { 'Query.auditLog': ['admin'] },
};
