import type { Kysely } from 'kysely';
import { byKey, groupByKey } from '../../lib/loaders.ts';
import { type BaseContext, baseContext, type RequestInfo, type SubgraphOptions } from '../../lib/subgraph.ts';
import { findMastersByCustomerIds } from './data/customer-masters.ts';
import {
  entryTotals,
  findEntriesByIds,
  findEntriesBySource,
  findLinesByIds,
  findLinesBySourceLine,
  findLinesOfEntries,
  findReversalsOf,
} from './data/journals.ts';
import {
  findAccountsByKeys,
  findAccountsOfEntities,
  findLegalEntitiesByIds,
  findPeriodsByIds,
  findPeriodsOfEntities,
  keyOfAccount,
} from './data/ledger.ts';
import { findCustomerCredits, findPeriodEvents } from './data/money-edges.ts';
import { projectOwners } from './data/project-owners.ts';
import {
  arBalances,
  findPaymentsOfReceivables,
  findReceivablesByIds,
  findReceivablesByInvoiceIds,
  findReceivablesOfCustomers,
} from './data/receivables.ts';
import { projectFinancials } from './data/reports.ts';
import type { ErpDatabase, PeriodStatus } from './data/tables.ts';

export type ErpContext = BaseContext<ErpDatabase>;

export function createContext(db: Kysely<ErpDatabase>, req: RequestInfo, options?: SubgraphOptions): ErpContext {
  return baseContext(db, req, options);
}

/** The entry of a source; the unique key includes the legal entity, so take the first if several. */
const firstBySource = (ctx: ErpContext, sourceType: string) =>
  ctx.loaders.get(`entryBySource:${sourceType}`, async (ids) =>
    groupByKey(ids, await findEntriesBySource(ctx.db, sourceType, ids), (r) => r.source_id).map((rows) => rows[0] ?? null),
  );

/** Per-request batch loaders: one SQL statement per field per request, whatever the number of parents. */
export const load = {
  legalEntity: (ctx: ErpContext) =>
    ctx.loaders.get('legalEntity', async (ids) => byKey(ids, await findLegalEntitiesByIds(ctx.db, ids), (r) => r.id)),
  accountsOfEntity: (ctx: ErpContext) =>
    ctx.loaders.get('accountsOfEntity', async (ids) =>
      groupByKey(ids, await findAccountsOfEntities(ctx.db, ids), (r) => r.legal_entity_id),
    ),
  account: (ctx: ErpContext) =>
    ctx.loaders.get('account', async (keys) => byKey(keys, await findAccountsByKeys(ctx.db, keys), keyOfAccount)),
  period: (ctx: ErpContext) => ctx.loaders.get('period', async (ids) => byKey(ids, await findPeriodsByIds(ctx.db, ids), (r) => r.id)),
  periodsOfEntity: (ctx: ErpContext, status: PeriodStatus | null | undefined) =>
    ctx.loaders.get(`periodsOfEntity:${status ?? ''}`, async (ids) =>
      groupByKey(ids, await findPeriodsOfEntities(ctx.db, ids, status), (r) => r.legal_entity_id),
    ),
  entry: (ctx: ErpContext) => ctx.loaders.get('entry', async (ids) => byKey(ids, await findEntriesByIds(ctx.db, ids), (r) => r.id)),
  reversalOf: (ctx: ErpContext) =>
    ctx.loaders.get('reversalOf', async (ids) => byKey(ids, await findReversalsOf(ctx.db, ids), (r) => r.reverses_id!)),
  entryOfInvoice: (ctx: ErpContext) => firstBySource(ctx, 'INVOICE'),
  entryOfCreditMemo: (ctx: ErpContext) => firstBySource(ctx, 'CREDIT_MEMO'),
  linesOfEntry: (ctx: ErpContext) =>
    ctx.loaders.get('linesOfEntry', async (ids) => groupByKey(ids, await findLinesOfEntries(ctx.db, ids), (r) => r.journal_entry_id)),
  entryTotals: (ctx: ErpContext) =>
    ctx.loaders.get('entryTotals', async (ids) => byKey(ids, await entryTotals(ctx.db, ids), (r) => r.journal_entry_id)),
  line: (ctx: ErpContext) => ctx.loaders.get('line', async (ids) => byKey(ids, await findLinesByIds(ctx.db, ids), (r) => r.id)),
  linesOfInvoiceLine: (ctx: ErpContext) =>
    ctx.loaders.get('linesOfInvoiceLine', async (ids) =>
      groupByKey(ids, await findLinesBySourceLine(ctx.db, 'INVOICE_LINE', ids), (r) => r.source_line_id!),
    ),
  financialMaster: (ctx: ErpContext) =>
    ctx.loaders.get('financialMaster', async (ids) => byKey(ids, await findMastersByCustomerIds(ctx.db, ids), (r) => r.customer_id)),
  arBalance: (ctx: ErpContext) =>
    ctx.loaders.get('arBalance', async (ids) => groupByKey(ids, await arBalances(ctx.db, ids), (r) => r.customer_id)),
  receivablesOfCustomer: (ctx: ErpContext, openOnly: boolean) =>
    ctx.loaders.get(`receivablesOfCustomer:${openOnly}`, async (ids) =>
      groupByKey(ids, await findReceivablesOfCustomers(ctx.db, ids, openOnly), (r) => r.customer_id),
    ),
  receivable: (ctx: ErpContext) =>
    ctx.loaders.get('receivable', async (ids) => byKey(ids, await findReceivablesByIds(ctx.db, ids), (r) => r.id)),
  receivableOfInvoice: (ctx: ErpContext) =>
    ctx.loaders.get('receivableOfInvoice', async (ids) => byKey(ids, await findReceivablesByInvoiceIds(ctx.db, ids), (r) => r.invoice_id)),
  paymentsOfReceivable: (ctx: ErpContext) =>
    ctx.loaders.get('paymentsOfReceivable', async (ids) =>
      groupByKey(ids, await findPaymentsOfReceivables(ctx.db, ids), (r) => r.receivable_id),
    ),
  /** Who the erp says owns a project, for the portal row rules. */
  projectOwner: (ctx: ErpContext) =>
    ctx.loaders.get('projectOwner', async (ids) => byKey(ids, await projectOwners(ctx.db, ids), (r) => r.project_id)),
  customerCredits: (ctx: ErpContext) =>
    ctx.loaders.get('customerCredits', async (ids) => groupByKey(ids, await findCustomerCredits(ctx.db, ids), (r) => r.customer_id)),
  periodEvents: (ctx: ErpContext) =>
    ctx.loaders.get('periodEvents', async (ids) => groupByKey(ids, await findPeriodEvents(ctx.db, ids), (r) => r.period_id)),
  projectFinancials: (ctx: ErpContext) =>
    ctx.loaders.get('projectFinancials', async (ids) => byKey(ids, await projectFinancials(ctx.db, ids), (r) => r.project_id)),
};
