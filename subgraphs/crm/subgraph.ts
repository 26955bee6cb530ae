import type { Kysely } from 'kysely';
import { buildSchema, defineSystem, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraph.ts';
import { loadSchema } from '../shared/schema.ts';
import { crmPolicy } from './authz.ts';
import { type CrmContext, createContext } from './context.ts';
import type { CrmDatabase } from './data/tables.ts';
import { migrations } from './migrations/index.ts';
import { CustomerResolvers } from './resolvers/Customer.ts';
import { MutationResolvers } from './resolvers/Mutation.ts';
import { OpportunityMilestoneResolvers, OpportunityResolvers, StageChangeResolvers, WorkstreamResolvers } from './resolvers/Opportunity.ts';
import { QueryResolvers } from './resolvers/Query.ts';

const schemaFile = new URL('./schema.graphql', import.meta.url);
export const sdl = loadSchema(schemaFile);

/** The CRM subgraph: schema plus context factory. Side-effect free; `scripts/start-subgraph.ts` listens. */
export function createCrmSubgraph(db: Kysely<CrmDatabase>, options: SubgraphOptions = {}): SubgraphModule<CrmContext> {
  return {
    name: 'crm',
    schema: buildSchema(
      sdl,
      {
        Query: QueryResolvers,
        Mutation: MutationResolvers,
        Customer: CustomerResolvers,
        Opportunity: OpportunityResolvers,
        StageChange: StageChangeResolvers,
        Workstream: WorkstreamResolvers,
        OpportunityMilestone: OpportunityMilestoneResolvers,
      },
      crmPolicy,
    ),
    context: (req) => createContext(db, req, options),
  };
}

/** crm as the registry (subgraphs/index.ts) lists it. */
export const system = defineSystem({ name: 'crm', create: createCrmSubgraph, migrations, schemaFile, sdl, policy: crmPolicy });
