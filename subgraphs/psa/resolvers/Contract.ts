import { loadRequired } from '../../../lib/loaders.ts';
import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const ContractResolvers: gql.ContractResolvers = {
  project: (c, _, ctx) => loadRequired(load.project(ctx), c.project_id, 'Project'),
  customer: (c) => ({ id: c.customer_id }),
  billingModel: (c) => c.billing_model,
  cap: (c) => (c.cap_minor === null ? null : money(c.cap_minor, c.currency)),
  fixedFee: (c) => (c.fixed_fee_minor === null ? null : money(c.fixed_fee_minor, c.currency)),
  roundingIncrementMinutes: (c) => c.rounding_increment_minutes,
  roundingMode: (c) => c.rounding_mode,
  startDate: (c) => c.start_date,
  endDate: (c) => c.end_date,
  createdAt: (c) => c.created_at,
};
