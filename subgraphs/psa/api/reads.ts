/**
 * What other systems may read of psa (the sync subgraph's reconciliation, KPIs and job sources):
 * its published read side. Its data/ folder stays private; another subgraph imports psa only
 * through api/ (the layering rule no-cross-subgraph in .dependency-cruiser.cjs).
 */
export { capacityByLegalEntity, projectDimensions } from '../data/kpis.ts';
export { findProjectsByIds } from '../data/projects.ts';
export { projectCountsOfCustomers, projectStates } from '../data/reconciliation.ts';
export type { PsaDatabase } from '../data/tables.ts';
