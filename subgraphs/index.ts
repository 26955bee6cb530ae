import type { Kysely } from 'kysely';
import type { SubgraphName } from '../lib/config.ts';
import type { Mapping } from '../lib/mapping.ts';
import type { SubgraphModule, SubgraphOptions } from '../lib/subgraph.ts';
import { createBillingSubgraph } from './billing/subgraph.ts';
import { createCrmSubgraph } from './crm/subgraph.ts';
import { createErpSubgraph } from './erp/subgraph.ts';
import { createPsaSubgraph } from './psa/subgraph.ts';
import type { SyncControl } from './sync/api/index.ts';
import { createSyncSubgraph } from './sync/subgraph.ts';
import { createTimeSubgraph } from './time/subgraph.ts';

/** What the composition root hands every factory: the sync engine's triggers and operator actions, and its mapping. */
export type StackOptions = SubgraphOptions & { control?: SyncControl; mapping?: Mapping };

/** Every subgraph's factory, by name: the one place that knows them all. */
export const SUBGRAPH_FACTORIES: Record<SubgraphName, (db: Kysely<any>, options?: StackOptions) => SubgraphModule<any>> = {
  crm: createCrmSubgraph,
  psa: createPsaSubgraph,
  time: createTimeSubgraph,
  billing: createBillingSubgraph,
  erp: createErpSubgraph,
  sync: createSyncSubgraph,
};
