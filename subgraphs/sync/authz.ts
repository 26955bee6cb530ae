import { type AuthzPolicy, asIs, pinFilterCustomer } from '../../lib/authz.ts';

/**
 * Sync rules: a portal user follows the jobs of its own customer (list, one job, one event of its
 * jobs for the live stream); the global stream, stats, reconciliation and the audit log are not its.
 */
export const syncPolicy: AuthzPolicy = {
  portal: {
    queries: { syncJobs: pinFilterCustomer, syncJob: asIs, syncEvent: asIs, syncEvents: pinFilterCustomer, syncEventHead: asIs },
    owners: { Customer: (r) => r.id, SyncJob: (r) => r.customer_id, SyncEvent: (r) => r.customer_id },
  },
  roles: { 'Query.auditLog': ['admin'] },
};
