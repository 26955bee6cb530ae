import type { Kysely } from 'kysely';
import { buildSchema, defineSystem, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraph.ts';
import { loadSchema } from '../shared/schema.ts';
import { timePolicy } from './authz.ts';
import { createContext, type TimeContext } from './context.ts';
import type { TimeDatabase } from './data/tables.ts';
import { migrations } from './migrations/index.ts';
import { MutationResolvers } from './resolvers/Mutation.ts';
import { CustomerResolvers, ProjectResolvers, ResourceResolvers } from './resolvers/Parents.ts';
import { QueryResolvers } from './resolvers/Query.ts';
import { TimeEntryResolvers } from './resolvers/TimeEntry.ts';
import { TimeProjectResolvers } from './resolvers/TimeProject.ts';
import { TimesheetResolvers } from './resolvers/Timesheet.ts';

const schemaFile = new URL('./schema.graphql', import.meta.url);
export const sdl = loadSchema(schemaFile);

/** The time subgraph: schema plus context factory. Side-effect free; `scripts/start-subgraph.ts` listens. */
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

/** time as the registry (subgraphs/index.ts) lists it. */
export const system = defineSystem({ name: 'time', create: createTimeSubgraph, migrations, schemaFile, sdl, policy: timePolicy });
