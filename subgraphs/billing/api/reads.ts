/**
 * What other systems may read of billing (the sync subgraph's reconciliation, KPIs and job sources):
 * its published read side. Its data/ folder stays private; another subgraph imports billing only
 * through api/ (the layering rule no-cross-subgraph in .dependency-cruiser.cjs).
 */
export { findProjectsToBill } from '../data/accounts.ts';
export { findInvoicesByIds } from '../data/invoices.ts';
export { correctedInvoiceIds, invoiceCorrections, invoicedTimeByWeek, revenueLeakage } from '../data/kpis.ts';
export {
  type DigestRow,
  type IssuedInvoiceRow,
  invoiceCountsOfCustomers,
  issuedInvoiceDigest,
  issuedInvoicesInBuckets,
  openBalanceByCustomer,
  projectPositions,
  type StaleItemsRow,
  staleUnbilledItems,
} from '../data/reconciliation.ts';
export type { BillingDatabase } from '../data/tables.ts';
