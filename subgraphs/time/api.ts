/**
 * The time system's API: every write to time data goes through here, from GraphQL mutations and from
 * sync jobs alike, so the time system validates everything written to it. Each call is one transaction.
 */
export { setBillingStatus, type SetBillingStatusOptions } from './api/billing.ts';
export { createTimeEntry, deleteTimeEntry, updateTimeEntry, type CreateTimeEntryInput, type UpdateTimeEntryInput } from './api/entries.ts';
export { upsertTimeProject, upsertTimeResource, type UpsertTimeProjectInput, type UpsertTimeResourceInput } from './api/lists.ts';
export { isoWeekStart } from './api/rules.ts';
export { approveTimesheet, approveTimesheets, MAX_BULK_APPROVAL, rejectTimesheet, submitTimesheet, type AfterApproval, type AfterBulkApproval } from './api/timesheets.ts';
