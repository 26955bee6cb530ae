import type { Kysely } from 'kysely';
import { buildSchema, defineSystem, type SubgraphModule, type SubgraphOptions } from '../../lib/subgraph.ts';
import { loadSchema } from '../shared/schema.ts';
import { erpPolicy } from './authz.ts';
import { createContext, type ErpContext } from './context.ts';
import type { ErpDatabase } from './data/tables.ts';
import { migrations } from './migrations/index.ts';
import { ContractRefResolvers } from './resolvers/ContractRef.ts';
import { CustomerFinancialMasterResolvers, CustomerResolvers } from './resolvers/Customer.ts';
import { FxRateResolvers } from './resolvers/FxRate.ts';
import { CreditMemoResolvers, InvoiceLineResolvers, InvoiceResolvers } from './resolvers/Invoice.ts';
import { JournalEntryResolvers, JournalLineResolvers } from './resolvers/Journal.ts';
import { AccountResolvers, LegalEntityResolvers, PeriodResolvers } from './resolvers/LegalEntity.ts';
import { MutationResolvers } from './resolvers/Mutation.ts';
import { ProjectResolvers } from './resolvers/Project.ts';
import { QueryResolvers } from './resolvers/Query.ts';
import { PaymentResolvers, ReceivableResolvers, RefundResolvers, WriteOffResolvers } from './resolvers/Receivable.ts';

const schemaFile = new URL('./schema.graphql', import.meta.url);
export const sdl = loadSchema(schemaFile);

/** The ERP subgraph: schema plus context factory. Side-effect free; `scripts/start-subgraph.ts` listens. */
export function createErpSubgraph(db: Kysely<ErpDatabase>, options: SubgraphOptions = {}): SubgraphModule<ErpContext> {
  return {
    name: 'erp',
    schema: buildSchema(
      sdl,
      {
        Query: QueryResolvers,
        Mutation: MutationResolvers,
        Customer: CustomerResolvers,
        CustomerFinancialMaster: CustomerFinancialMasterResolvers,
        Invoice: InvoiceResolvers,
        InvoiceLine: InvoiceLineResolvers,
        CreditMemo: CreditMemoResolvers,
        Project: ProjectResolvers,
        LegalEntity: LegalEntityResolvers,
        Account: AccountResolvers,
        Period: PeriodResolvers,
        JournalEntry: JournalEntryResolvers,
        JournalLine: JournalLineResolvers,
        Receivable: ReceivableResolvers,
        Payment: PaymentResolvers,
        WriteOff: WriteOffResolvers,
        Refund: RefundResolvers,
        FxRate: FxRateResolvers,
        ContractRef: ContractRefResolvers,
      },
      erpPolicy,
    ),
    context: (req) => createContext(db, req, options),
  };
}

/** erp as the registry (subgraphs/index.ts) lists it. */
export const system = defineSystem({ name: 'erp', create: createErpSubgraph, migrations, schemaFile, sdl, policy: erpPolicy });
