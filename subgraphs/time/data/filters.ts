import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { ApprovalStatus, BillingStatus, TimeEntriesTable } from './tables.ts';

export type TimeEntryFilter = {
  projectId?: string | null;
  resourceId?: string | null;
  customerId?: string | null;
  status?: ApprovalStatus | null;
  billingStatus?: BillingStatus | null;
  billable?: boolean | null;
  from?: string | null;
  to?: string | null;
};

/** Queries over time entries alias the table as `e`, so one filter serves lists, nested pages and sums. */
export type EntryScope = { e: TimeEntriesTable };

/** The filter as one WHERE condition; `true` when it is empty. */
export function entryFilter(f: TimeEntryFilter | null | undefined) {
  return (eb: ExpressionBuilder<EntryScope, 'e'>): Expression<SqlBool> => {
    const c: Expression<SqlBool>[] = [];
    if (!f) return eb.and(c);
    if (f.projectId) c.push(eb('e.project_id', '=', f.projectId));
    if (f.resourceId) c.push(eb('e.resource_id', '=', f.resourceId));
    if (f.customerId) c.push(eb('e.customer_id', '=', f.customerId));
    if (f.status) c.push(eb('e.status', '=', f.status));
    if (f.billingStatus) c.push(eb('e.billing_status', '=', f.billingStatus));
    if (f.billable != null) c.push(eb('e.billable', '=', f.billable));
    if (f.from) c.push(eb('e.work_date', '>=', f.from));
    if (f.to) c.push(eb('e.work_date', '<=', f.to));
    return eb.and(c);
  };
}
