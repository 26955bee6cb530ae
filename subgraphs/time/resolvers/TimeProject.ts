import type * as gql from './types.generated.ts';

export const TimeProjectResolvers: gql.TimeProjectResolvers = {
  customer: (p) => ({ id: p.customer_id }),
};
