import { type ErpContext, load } from '../context.ts';
import type { Account, LegalEntity, Period, PeriodStatus } from '../data/tables.ts';

export const LegalEntityResolvers = {
  __resolveReference: (ref: { id: string }, ctx: ErpContext) => load.legalEntity(ctx).load(ref.id),
  functionalCurrency: (le: LegalEntity) => le.functional_currency,
  accounts: (le: LegalEntity, _: unknown, ctx: ErpContext) => load.accountsOfEntity(ctx).load(le.id),
  periods: (le: LegalEntity, args: { status?: PeriodStatus | null }, ctx: ErpContext) => load.periodsOfEntity(ctx, args.status).load(le.id),
};

export const AccountResolvers = {
  legalEntity: (a: Account, _: unknown, ctx: ErpContext) => load.legalEntity(ctx).load(a.legal_entity_id),
};

export const PeriodResolvers = {
  startDate: (p: Period) => p.start_date,
  endDate: (p: Period) => p.end_date,
  closedAt: (p: Period) => p.closed_at,
  events: (p: Period, _: unknown, ctx: ErpContext) => load.periodEvents(ctx).load(p.id),
  legalEntity: (p: Period, _: unknown, ctx: ErpContext) => load.legalEntity(ctx).load(p.legal_entity_id),
};
