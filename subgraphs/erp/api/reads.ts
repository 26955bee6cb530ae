/**
 * What other systems may read of erp (the sync subgraph's reconciliation, KPIs and job sources):
 * its published read side. Its data/ folder stays private; another subgraph imports erp only
 * through api/ (the layering rule no-cross-subgraph in .dependency-cruiser.cjs).
 */
export { invoicePostingAccuracy } from '../data/kpis.ts';
export { customersWithMaster, postedInvoiceDigest, postedInvoiceIdsInBuckets, receivableOpenByCustomer } from '../data/reconciliation.ts';
export type { ErpDatabase } from '../data/tables.ts';
