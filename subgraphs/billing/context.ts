import type { Kysely } from 'kysely';
import { byKey, groupByKey } from '../../lib/loaders.ts';
import { type BaseContext, baseContext, type RequestInfo, type SubgraphOptions } from '../../lib/subgraph.ts';
import { findAccountsByCustomerIds, findMilestonesByIds, findMilestonesOfProjects, findRulesByProjectIds } from './data/accounts.ts';
import { findCreditMemoLines, findCreditMemosByIds, findCreditMemosOfInvoices } from './data/credit-memos.ts';
import {
  findInvoicesByIds,
  findInvoicesOf,
  findInvoicesOfLines,
  findInvoicesOfTimeEntries,
  findLinesByIds,
  findLinesOfInvoices,
  findPaymentsOfInvoices,
} from './data/invoices.ts';
import { findItemsByIds, findItemsOfLines, findItemsOfProjects, findItemsOfTimeEntries } from './data/items.ts';
import { billingSummaryOfCustomers, invoicedOfProjects, unbilledOfProjects } from './data/summaries.ts';
import type { BillableItemStatus, BillingDatabase, InvoiceStatus } from './data/tables.ts';

export type BillingContext = BaseContext<BillingDatabase>;

export function createContext(db: Kysely<BillingDatabase>, req: RequestInfo, options?: SubgraphOptions): BillingContext {
  return baseContext(db, req, options);
}

/** Per-request batch loaders: one SQL statement per field per request, whatever the number of parents. */
export const load = {
  account: (ctx: BillingContext) =>
    ctx.loaders.get('account', async (ids) => byKey(ids, await findAccountsByCustomerIds(ctx.db, ids), (r) => r.customer_id)),
  rule: (ctx: BillingContext) =>
    ctx.loaders.get('rule', async (ids) => byKey(ids, await findRulesByProjectIds(ctx.db, ids), (r) => r.project_id)),
  milestone: (ctx: BillingContext) =>
    ctx.loaders.get('milestone', async (ids) => byKey(ids, await findMilestonesByIds(ctx.db, ids), (r) => r.id)),
  milestonesOfProject: (ctx: BillingContext) =>
    ctx.loaders.get('milestonesOfProject', async (ids) =>
      groupByKey(ids, await findMilestonesOfProjects(ctx.db, ids), (r) => r.project_id),
    ),
  item: (ctx: BillingContext) => ctx.loaders.get('item', async (ids) => byKey(ids, await findItemsByIds(ctx.db, ids), (r) => r.id)),
  itemOfTimeEntry: (ctx: BillingContext) =>
    ctx.loaders.get('itemOfTimeEntry', async (ids) => byKey(ids, await findItemsOfTimeEntries(ctx.db, ids), (r) => r.source_id)),
  itemsOfLine: (ctx: BillingContext) =>
    ctx.loaders.get('itemsOfLine', async (ids) => groupByKey(ids, await findItemsOfLines(ctx.db, ids), (r) => r.invoice_line_id!)),
  itemsOfProject: (ctx: BillingContext, status: BillableItemStatus | null | undefined) =>
    ctx.loaders.get(`itemsOfProject:${status ?? ''}`, async (ids) =>
      groupByKey(ids, await findItemsOfProjects(ctx.db, ids, status), (r) => r.project_id),
    ),
  invoice: (ctx: BillingContext) =>
    ctx.loaders.get('invoice', async (ids) => byKey(ids, await findInvoicesByIds(ctx.db, ids), (r) => r.id)),
  invoiceOfTimeEntry: (ctx: BillingContext) =>
    ctx.loaders.get('invoiceOfTimeEntry', async (ids) => byKey(ids, await findInvoicesOfTimeEntries(ctx.db, ids), (r) => r.source_id)),
  invoiceOfLine: (ctx: BillingContext) =>
    ctx.loaders.get('invoiceOfLine', async (ids) => byKey(ids, await findInvoicesOfLines(ctx.db, ids), (r) => r.line_id)),
  invoicesOfProject: (ctx: BillingContext, status: InvoiceStatus | null | undefined) =>
    ctx.loaders.get(`invoicesOfProject:${status ?? ''}`, async (ids) =>
      groupByKey(ids, await findInvoicesOf(ctx.db, 'project_id', ids, status), (r) => r.project_id),
    ),
  invoicesOfCustomer: (ctx: BillingContext, status: InvoiceStatus | null | undefined) =>
    ctx.loaders.get(`invoicesOfCustomer:${status ?? ''}`, async (ids) =>
      groupByKey(ids, await findInvoicesOf(ctx.db, 'customer_id', ids, status), (r) => r.customer_id),
    ),
  line: (ctx: BillingContext) => ctx.loaders.get('line', async (ids) => byKey(ids, await findLinesByIds(ctx.db, ids), (r) => r.id)),
  linesOfInvoice: (ctx: BillingContext) =>
    ctx.loaders.get('linesOfInvoice', async (ids) => groupByKey(ids, await findLinesOfInvoices(ctx.db, ids), (r) => r.invoice_id)),
  paymentsOfInvoice: (ctx: BillingContext) =>
    ctx.loaders.get('paymentsOfInvoice', async (ids) => groupByKey(ids, await findPaymentsOfInvoices(ctx.db, ids), (r) => r.invoice_id)),
  creditMemo: (ctx: BillingContext) =>
    ctx.loaders.get('creditMemo', async (ids) => byKey(ids, await findCreditMemosByIds(ctx.db, ids), (r) => r.id)),
  creditMemosOfInvoice: (ctx: BillingContext) =>
    ctx.loaders.get('creditMemosOfInvoice', async (ids) =>
      groupByKey(ids, await findCreditMemosOfInvoices(ctx.db, ids), (r) => r.invoice_id),
    ),
  creditMemoLines: (ctx: BillingContext) =>
    ctx.loaders.get('creditMemoLines', async (ids) => groupByKey(ids, await findCreditMemoLines(ctx.db, ids), (r) => r.credit_memo_id)),
  unbilledOfProject: (ctx: BillingContext) =>
    ctx.loaders.get('unbilledOfProject', async (ids) => groupByKey(ids, await unbilledOfProjects(ctx.db, ids), (r) => r.project_id)),
  invoicedOfProject: (ctx: BillingContext) =>
    ctx.loaders.get('invoicedOfProject', async (ids) => groupByKey(ids, await invoicedOfProjects(ctx.db, ids), (r) => r.project_id)),
  billingSummary: (ctx: BillingContext) =>
    ctx.loaders.get('billingSummary', async (ids) => groupByKey(ids, await billingSummaryOfCustomers(ctx.db, ids), (r) => r.customer_id)),
};
