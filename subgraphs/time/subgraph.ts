import type { Kysely } from 'kysely';
import { buildSchema, readSdl, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraph.ts';
import { timePolicy } from './authz.ts';
import { createContext, type TimeContext } from './context.ts';
import type { TimeDatabase } from './data/tables.ts';
import { MutationResolvers } from './resolvers/Mutation.ts';
import { CustomerResolvers, ProjectResolvers, ResourceResolvers } from './resolvers/Parents.ts';
import { QueryResolvers } from './resolvers/Query.ts';
import { TimeEntryResolvers } from './resolvers/TimeEntry.ts';
import { TimeProjectResolvers } from './resolvers/TimeProject.ts';
import { TimesheetResolvers } from './resolvers/Timesheet.ts';

export const sdl = readSdl(new URL('./schema.graphql', import.meta.url));

/** The time subgraph: schema plus context factory. Side-effect free; `server.ts` listens. */
export function createTimeSubgraph(db: Kysely<TimeDatabase>, options: SubgraphOptions = {}): SubgraphModule<TimeContext> {
  return {
    name: 'time',
    schema: buildSchema(
      sdl,
      {
        Query: QueryResolvers,
        Mutation: MutationResolvers,
        TimeEntry: TimeEntryResolvers,
        Timesheet: TimesheetResolvers,
        TimeProject: TimeProjectResolvers,
        Project: ProjectResolvers,
        Resource: ResourceResolvers,
        Customer: CustomerResolvers,
      },
      timePolicy,
    ),
    context: (req) => createContext(db, req, options),
  };
}
