import type { TimeProject } from '../data/tables.ts';

export const TimeProjectResolvers = {
  customer: (p: TimeProject) => ({ id: p.customer_id }),
};
