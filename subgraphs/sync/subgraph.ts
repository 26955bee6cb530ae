import type { Kysely } from 'kysely';
import { loadMapping, type Mapping } from '../../lib/mapping.ts';
import { buildSchema, defineSystem, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraph.ts';
import { loadSchema } from '../shared/schema.ts';
import type { SyncControl } from './api/index.ts';
import { syncPolicy } from './authz.ts';
import { createContext, type SyncContext } from './context.ts';
import type { SyncDatabase } from './data/tables.ts';
import { migrations } from './migrations/index.ts';
import { CustomerResolvers, InvoiceResolvers, ProjectResolvers } from './resolvers/ExtendedEntities.ts';
import { KpiReportResolvers, SloReportResolvers } from './resolvers/Kpis.ts';
import { MutationResolvers } from './resolvers/Mutation.ts';
import { QueryResolvers } from './resolvers/Query.ts';
import { SyncEventResolvers } from './resolvers/SyncEvent.ts';
import { SyncAttemptResolvers, SyncJobResolvers } from './resolvers/SyncJob.ts';

const schemaFile = new URL('./schema.graphql', import.meta.url);
export const sdl = loadSchema(schemaFile);

/** The sync subgraph (read side): schema plus context factory. Side-effect free; `scripts/start-subgraph.ts` listens. */
export function createSyncSubgraph(
  db: Kysely<SyncDatabase>,
  options: SubgraphOptions & { control?: SyncControl; mapping?: Mapping } = {},
): SubgraphModule<SyncContext> {
  // The engine hands over the mapping it validated at start-up; a subgraph built alone reads the default file.
  const mapping = options.mapping ?? loadMapping();
  return {
    name: 'sync',
    schema: buildSchema(
      sdl,
      {
        Query: QueryResolvers,
        Mutation: MutationResolvers,
        SyncJob: SyncJobResolvers,
        SyncAttempt: SyncAttemptResolvers,
        SyncEvent: SyncEventResolvers,
        Customer: CustomerResolvers,
        Project: ProjectResolvers,
        Invoice: InvoiceResolvers,
        KpiReport: KpiReportResolvers,
        SloReport: SloReportResolvers,
      },
      syncPolicy,
    ),
    context: (req) => createContext(db, req, { ...options, mapping }),
  };
}

/** sync as the registry (subgraphs/index.ts) lists it. */
export const system = defineSystem({ name: 'sync', create: createSyncSubgraph, migrations, schemaFile, sdl, policy: syncPolicy });
