import type * as gql from './types.generated.ts';

export const FxRateResolvers: gql.FxRateResolvers = {
  from: (r) => r.from_currency,
  to: (r) => r.to_currency,
  date: (r) => r.rate_date,
};
