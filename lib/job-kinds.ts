/**
 * The kinds of sync job, one per flow (sync-jobs/flows/index.ts): the vocabulary the sync subgraph's
 * SyncJobKind enum, the engine and the mapping file's SLOs (lib/mapping.ts) share. test/sync/job-kinds.test.ts
 * checks that the flows, this list and the GraphQL enum name the same kinds.
 */
export const SYNC_JOB_KINDS = [
  'OPPORTUNITY_WON',
  'TIME_APPROVED',
  'BILLING_RUN',
  'INVOICE_ISSUED',
  'PAYMENT_RECEIVED',
  'CREDIT_MEMO_ISSUED',
  'CUSTOMER_MASTER_CHANGED',
  'RATE_CARD_CHANGED',
  'PROJECT_COST',
  'RECEIVABLE_WRITTEN_OFF',
  'PERIOD_END',
  'WIP_WRITTEN_OFF',
] as const;
export type SyncJobKind = (typeof SYNC_JOB_KINDS)[number];
