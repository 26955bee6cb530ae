import { load } from '../context.ts';
import { findRateOnOrBefore } from '../data/fx-rates.ts';
import { pageJournalEntries } from '../data/journals.ts';
import { listLegalEntities } from '../data/ledger.ts';
import { pageReceivables } from '../data/receivables.ts';
import { trialBalance } from './TrialBalance.ts';
import type * as gql from './types.generated.ts';

export const QueryResolvers: gql.QueryResolvers = {
  legalEntities: (_, __, ctx) => listLegalEntities(ctx.db),
  legalEntity: (_, args, ctx) => load.legalEntity(ctx).load(args.id),
  accounts: (_, args, ctx) => load.accountsOfEntity(ctx).load(args.legalEntityId),
  periods: (_, args, ctx) => load.periodsOfEntity(ctx, args.status).load(args.legalEntityId),
  journalEntries: (_, args, ctx) => pageJournalEntries(ctx.db, args),
  journalEntry: (_, args, ctx) => load.entry(ctx).load(args.id),
  receivables: (_, args, ctx) => pageReceivables(ctx.db, args),
  customerFinancialMaster: (_, args, ctx) => load.financialMaster(ctx).load(args.customerId),
  fxRate: async (_, args, ctx) => (await findRateOnOrBefore(ctx.db, args.from, args.to, args.date)) ?? null,
  trialBalance: (_, args, ctx) => trialBalance(ctx, args.legalEntityId, args.periodCode, Boolean(args.cumulative)),
};
