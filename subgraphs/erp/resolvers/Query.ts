import type { PageArgs } from '../../../lib/pagination.ts';
import { type ErpContext, load } from '../context.ts';
import { findRateOnOrBefore } from '../data/fx-rates.ts';
import { type JournalEntryFilter, type JournalEntryOrder, pageJournalEntries } from '../data/journals.ts';
import { listLegalEntities } from '../data/ledger.ts';
import { pageReceivables, type ReceivableFilter } from '../data/receivables.ts';
import type { PeriodStatus } from '../data/tables.ts';
import { trialBalance } from './TrialBalance.ts';

export const QueryResolvers = {
  legalEntities: (_: unknown, __: unknown, ctx: ErpContext) => listLegalEntities(ctx.db),
  legalEntity: (_: unknown, args: { id: string }, ctx: ErpContext) => load.legalEntity(ctx).load(args.id),
  accounts: (_: unknown, args: { legalEntityId: string }, ctx: ErpContext) => load.accountsOfEntity(ctx).load(args.legalEntityId),
  periods: (_: unknown, args: { legalEntityId: string; status?: PeriodStatus | null }, ctx: ErpContext) =>
    load.periodsOfEntity(ctx, args.status).load(args.legalEntityId),
  journalEntries: (_: unknown, args: PageArgs & { filter?: JournalEntryFilter; orderBy?: JournalEntryOrder }, ctx: ErpContext) =>
    pageJournalEntries(ctx.db, args),
  journalEntry: (_: unknown, args: { id: string }, ctx: ErpContext) => load.entry(ctx).load(args.id),
  receivables: (_: unknown, args: PageArgs & { filter?: ReceivableFilter }, ctx: ErpContext) => pageReceivables(ctx.db, args),
  customerFinancialMaster: (_: unknown, args: { customerId: string }, ctx: ErpContext) => load.financialMaster(ctx).load(args.customerId),
  fxRate: async (_: unknown, args: { from: string; to: string; date: string }, ctx: ErpContext) =>
    (await findRateOnOrBefore(ctx.db, args.from, args.to, args.date)) ?? null,
  trialBalance: (_: unknown, args: { legalEntityId: string; periodCode: string; cumulative?: boolean | null }, ctx: ErpContext) =>
    trialBalance(ctx, args.legalEntityId, args.periodCode, Boolean(args.cumulative)),
};
