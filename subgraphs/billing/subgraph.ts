import type { Kysely } from 'kysely';
import { buildSchema, defineSystem, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraph.ts';
import { loadSchema } from '../shared/schema.ts';
import { billingPolicy } from './authz.ts';
import { type BillingContext, createContext } from './context.ts';
import type { BillingDatabase } from './data/tables.ts';
import { migrations } from './migrations/index.ts';
import { BillableItemResolvers } from './resolvers/BillableItem.ts';
import { BillingAccountResolvers, BillingRuleResolvers, MilestoneResolvers } from './resolvers/BillingRule.ts';
import { CreditMemoLineResolvers, CreditMemoResolvers } from './resolvers/CreditMemo.ts';
import { CustomerResolvers } from './resolvers/Customer.ts';
import { InvoiceLineResolvers, InvoicePaymentResolvers, InvoiceResolvers } from './resolvers/Invoice.ts';
import { MutationResolvers } from './resolvers/Mutation.ts';
import { ProjectResolvers } from './resolvers/Project.ts';
import { QueryResolvers } from './resolvers/Query.ts';
import { TimeEntryResolvers } from './resolvers/TimeEntry.ts';

const schemaFile = new URL('./schema.graphql', import.meta.url);
export const sdl = loadSchema(schemaFile);

/** The billing subgraph: schema plus context factory. Side-effect free; `scripts/start-subgraph.ts` listens. */
export function createBillingSubgraph(db: Kysely<BillingDatabase>, options: SubgraphOptions = {}): SubgraphModule<BillingContext> {
  return {
    name: 'billing',
    schema: buildSchema(
      sdl,
      {
        Query: QueryResolvers,
        Mutation: MutationResolvers,
        Customer: CustomerResolvers,
        Project: ProjectResolvers,
        TimeEntry: TimeEntryResolvers,
        BillableItem: BillableItemResolvers,
        Invoice: InvoiceResolvers,
        InvoiceLine: InvoiceLineResolvers,
        InvoicePayment: InvoicePaymentResolvers,
        CreditMemo: CreditMemoResolvers,
        CreditMemoLine: CreditMemoLineResolvers,
        BillingAccount: BillingAccountResolvers,
        BillingRule: BillingRuleResolvers,
        Milestone: MilestoneResolvers,
      },
      billingPolicy,
    ),
    context: (req) => createContext(db, req, options),
  };
}

/** billing as the registry (subgraphs/index.ts) lists it. */
export const system = defineSystem({ name: 'billing', create: createBillingSubgraph, migrations, schemaFile, sdl, policy: billingPolicy });
