import type { Kysely } from 'kysely';
import { buildSchema, readSdl, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraph.ts';
import { syncPolicy } from './authz.ts';
import { createContext, type SyncContext } from './context.ts';
import type { SyncControl } from './control.ts';
import type { SyncDatabase } from './data/tables.ts';
import { CustomerResolvers, InvoiceResolvers, ProjectResolvers } from './resolvers/ExtendedEntities.ts';
import { MutationResolvers } from './resolvers/Mutation.ts';
import { QueryResolvers } from './resolvers/Query.ts';
import { SyncEventResolvers } from './resolvers/SyncEvent.ts';
import { SyncAttemptResolvers, SyncJobResolvers } from './resolvers/SyncJob.ts';

export const sdl = readSdl(new URL('./schema.graphql', import.meta.url));

/** The sync subgraph (read side): schema plus context factory. Side-effect free; `server.ts` listens. */
export function createSyncSubgraph(
  db: Kysely<SyncDatabase>,
  options: SubgraphOptions & { control?: SyncControl } = {},
): SubgraphModule<SyncContext> {
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
      },
      syncPolicy,
    ),
    context: (req) => createContext(db, req, options),
  };
}
