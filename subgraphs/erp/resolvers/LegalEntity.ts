import { loadRequired } from '../../../lib/loaders.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const LegalEntityResolvers: gql.LegalEntityResolvers = {
  __resolveReference: (ref, ctx) => load.legalEntity(ctx).load(ref.id),
  functionalCurrency: (le) => le.functional_currency,
  accounts: (le, _, ctx) => load.accountsOfEntity(ctx).load(le.id),
  periods: (le, args, ctx) => load.periodsOfEntity(ctx, args.status).load(le.id),
};

export const AccountResolvers: gql.AccountResolvers = {
  legalEntity: (a, _, ctx) => loadRequired(load.legalEntity(ctx), a.legal_entity_id, 'LegalEntity'),
};

export const PeriodResolvers: gql.PeriodResolvers = {
  startDate: (p) => p.start_date,
  endDate: (p) => p.end_date,
  closedAt: (p) => p.closed_at,
  events: (p, _, ctx) => load.periodEvents(ctx).load(p.id),
  legalEntity: (p, _, ctx) => loadRequired(load.legalEntity(ctx), p.legal_entity_id, 'LegalEntity'),
};
