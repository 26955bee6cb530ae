import type { FxRate } from '../data/tables.ts';

export const FxRateResolvers = {
  from: (r: FxRate) => r.from_currency,
  to: (r: FxRate) => r.to_currency,
  date: (r: FxRate) => r.rate_date,
};
