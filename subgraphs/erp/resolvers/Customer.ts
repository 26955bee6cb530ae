import { loadRequired } from '../../../lib/loaders.ts';
import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

/** The crm owns Customer; the erp only adds fields, all resolved from the id. */
export const CustomerResolvers: gql.CustomerResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  financialMaster: (c, _, ctx) => load.financialMaster(ctx).load(c.id),
  arBalance: async (c, _, ctx) => (await load.arBalance(ctx).load(c.id)).map((r) => money(r.open_minor, r.currency)),
  customerCredit: async (c, _, ctx) => (await load.customerCredits(ctx).load(c.id)).map((r) => money(r.balance_minor, r.currency)),
  receivables: (c, args, ctx) => load.receivablesOfCustomer(ctx, Boolean(args.openOnly)).load(c.id),
};

export const CustomerFinancialMasterResolvers: gql.CustomerFinancialMasterResolvers = {
  customer: (m) => ({ id: m.customer_id }),
  legalEntity: (m, _, ctx) => loadRequired(load.legalEntity(ctx), m.legal_entity_id, 'LegalEntity'),
  taxCode: (m) => m.tax_code,
  paymentTermsDays: (m) => m.payment_terms_days,
  creditLimit: (m) => money(m.credit_limit_minor, m.currency),
  updatedAt: (m) => m.updated_at,
};
