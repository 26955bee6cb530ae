import { loadRequired } from '../../../lib/loaders.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const SyncEventResolvers: gql.SyncEventResolvers = {
  sequence: (e) => String(e.sequence),
  job: (e, _, ctx) => loadRequired(load.job(ctx), e.job_id, 'SyncJob'),
  // Free-form by design (each job kind has its own details); clients parse the JSON they care about.
  detail: (e) => JSON.stringify(e.detail ?? {}),
};
