import type { Kysely } from 'kysely';
import { buildSchema, defineSystem, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraph.ts';
import { loadSchema } from '../shared/schema.ts';
import { psaPolicy } from './authz.ts';
import { createContext, type PsaContext } from './context.ts';
import type { PsaDatabase } from './data/tables.ts';
import { migrations } from './migrations/index.ts';
import { ContractResolvers } from './resolvers/Contract.ts';
import { CustomerRefResolvers, CustomerResolvers, OpportunityResolvers } from './resolvers/Customer.ts';
import { MutationResolvers } from './resolvers/Mutation.ts';
import { ProjectBudgetResolvers, ProjectResolvers } from './resolvers/Project.ts';
import { QueryResolvers } from './resolvers/Query.ts';
import { RateCardRateResolvers, RateCardResolvers, RateOverrideResolvers } from './resolvers/RateCard.ts';
import { ResolvedRateResolvers } from './resolvers/ResolvedRate.ts';
import { ResourceResolvers } from './resolvers/Resource.ts';
import { AssignmentResolvers, TaskResolvers } from './resolvers/Work.ts';

const schemaFile = new URL('./schema.graphql', import.meta.url);
export const sdl = loadSchema(schemaFile);

/** The PSA subgraph: schema plus context factory. Side-effect free; `scripts/start-subgraph.ts` listens. */
export function createPsaSubgraph(db: Kysely<PsaDatabase>, options: SubgraphOptions = {}): SubgraphModule<PsaContext> {
  return {
    name: 'psa',
    schema: buildSchema(
      sdl,
      {
        Query: QueryResolvers,
        Mutation: MutationResolvers,
        Customer: CustomerResolvers,
        Opportunity: OpportunityResolvers,
        CustomerRef: CustomerRefResolvers,
        Project: ProjectResolvers,
        ProjectBudget: ProjectBudgetResolvers,
        Contract: ContractResolvers,
        RateCard: RateCardResolvers,
        RateCardRate: RateCardRateResolvers,
        RateOverride: RateOverrideResolvers,
        Resource: ResourceResolvers,
        Task: TaskResolvers,
        Assignment: AssignmentResolvers,
        ResolvedRate: ResolvedRateResolvers,
      },
      psaPolicy,
    ),
    context: (req) => createContext(db, req, options),
  };
}

/** psa as the registry (subgraphs/index.ts) lists it. */
export const system = defineSystem({ name: 'psa', create: createPsaSubgraph, migrations, schemaFile, sdl, policy: psaPolicy });
