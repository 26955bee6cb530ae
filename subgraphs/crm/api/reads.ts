/**
 * What other systems may read of crm (the sync subgraph's reconciliation, KPIs and job sources):
 * its published read side. Its data/ folder stays private; another subgraph imports crm only
 * through api/ (the layering rule no-cross-subgraph in .dependency-cruiser.cjs).
 */
export { findOpportunitiesByIds } from '../data/opportunities.ts';
export { customerPipelines } from '../data/reconciliation.ts';
export type { CrmDatabase } from '../data/tables.ts';
