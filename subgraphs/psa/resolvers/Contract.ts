import { money } from '../../../lib/money.ts';
import { load, type PsaContext } from '../context.ts';
import type { Contract } from '../data/tables.ts';

export const ContractResolvers = {
  project: (c: Contract, _: unknown, ctx: PsaContext) => load.project(ctx).load(c.project_id),
  customer: (c: Contract) => ({ id: c.customer_id }),
  billingModel: (c: Contract) => c.billing_model,
  cap: (c: Contract) => (c.cap_minor === null ? null : money(c.cap_minor, c.currency)),
  fixedFee: (c: Contract) => (c.fixed_fee_minor === null ? null : money(c.fixed_fee_minor, c.currency)),
  roundingIncrementMinutes: (c: Contract) => c.rounding_increment_minutes,
  roundingMode: (c: Contract) => c.rounding_mode,
  startDate: (c: Contract) => c.start_date,
  endDate: (c: Contract) => c.end_date,
  createdAt: (c: Contract) => c.created_at,
};
