/**
 * The time system's API: every write to time data goes through here, from GraphQL mutations and from
 * sync jobs alike, so the time system validates everything written to it. Each call is one transaction.
 */
export { type SetBillingStatusOptions, setBillingStatus } from './billing.ts';
export { type CreateTimeEntryInput, createTimeEntry, deleteTimeEntry, type UpdateTimeEntryInput, updateTimeEntry } from './entries.ts';
export { type UpsertTimeProjectInput, type UpsertTimeResourceInput, upsertTimeProject, upsertTimeResource } from './lists.ts';
export { isoWeekStart } from './rules.ts';
export {
  type AfterApproval,
  type AfterBulkApproval,
  approveTimesheet,
  approveTimesheets,
  MAX_BULK_APPROVAL,
  rejectTimesheet,
  submitTimesheet,
} from './timesheets.ts';
