import { loadRequired } from '../../../lib/loaders.ts';
import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const ResolvedRateResolvers: gql.ResolvedRateResolvers = {
  rate: (r) => money(r.rateMinor, r.currency),
  project: (r, _, ctx) => loadRequired(load.project(ctx), r.projectId, 'Project'),
  resource: (r, _, ctx) => loadRequired(load.resource(ctx), r.resourceId, 'Resource'),
};
