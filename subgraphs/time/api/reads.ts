/**
 * What other systems may read of time (the sync subgraph's reconciliation, KPIs and job sources):
 * its published read side. Its data/ folder stays private; another subgraph imports time only
 * through api/ (the layering rule no-cross-subgraph in .dependency-cruiser.cjs).
 */
export { billableMinutesByProject, timesheetApprovals } from '../data/kpis.ts';
export { timeAfterDates, timeByProject } from '../data/reconciliation.ts';
export type { TimeDatabase } from '../data/tables.ts';
export { findTimesheetsByIds } from '../data/timesheets.ts';
