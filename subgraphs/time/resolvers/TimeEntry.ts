import { minutesToHours } from '../../../lib/hours.ts';
import { loadRequired } from '../../../lib/loaders.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const TimeEntryResolvers: gql.TimeEntryResolvers = {
  __resolveReference: (ref, ctx) => load.entry(ctx).load(ref.id),
  project: (e) => ({ id: e.project_id }),
  resource: (e) => ({ id: e.resource_id }),
  customer: (e) => ({ id: e.customer_id }),
  timesheet: (e, _, ctx) => loadRequired(load.timesheet(ctx), e.timesheet_id, 'Timesheet'),
  taskId: (e) => e.task_id,
  date: (e) => e.work_date,
  hours: (e) => minutesToHours(e.minutes),
  billingStatus: (e) => e.billing_status,
  externalRef: (e) => e.external_ref,
  createdAt: (e) => e.created_at,
  updatedAt: (e) => e.updated_at,
};
