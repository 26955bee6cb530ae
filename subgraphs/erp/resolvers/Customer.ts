import { money } from '../../../lib/money.ts';
import { type ErpContext, load } from '../context.ts';
import type { ArBalanceRow } from '../data/receivables.ts';
import type { CustomerCreditBalance, CustomerMaster } from '../data/tables.ts';

type CustomerRef = { id: string };

/** The crm owns Customer; the erp only adds fields, all resolved from the id. */
export const CustomerResolvers = {
  __resolveReference: (ref: CustomerRef) => ({ id: ref.id }),
  financialMaster: (c: CustomerRef, _: unknown, ctx: ErpContext) => load.financialMaster(ctx).load(c.id),
  arBalance: async (c: CustomerRef, _: unknown, ctx: ErpContext) =>
    ((await load.arBalance(ctx).load(c.id)) as ArBalanceRow[]).map((r) => money(r.open_minor, r.currency)),
  customerCredit: async (c: CustomerRef, _: unknown, ctx: ErpContext) =>
    ((await load.customerCredits(ctx).load(c.id)) as CustomerCreditBalance[]).map((r) => money(r.balance_minor, r.currency)),
  receivables: (c: CustomerRef, args: { openOnly?: boolean | null }, ctx: ErpContext) =>
    load.receivablesOfCustomer(ctx, Boolean(args.openOnly)).load(c.id),
};

export const CustomerFinancialMasterResolvers = {
  customer: (m: CustomerMaster) => ({ id: m.customer_id }),
  legalEntity: (m: CustomerMaster, _: unknown, ctx: ErpContext) => load.legalEntity(ctx).load(m.legal_entity_id),
  taxCode: (m: CustomerMaster) => m.tax_code,
  paymentTermsDays: (m: CustomerMaster) => m.payment_terms_days,
  creditLimit: (m: CustomerMaster) => money(m.credit_limit_minor, m.currency),
  updatedAt: (m: CustomerMaster) => m.updated_at,
};
