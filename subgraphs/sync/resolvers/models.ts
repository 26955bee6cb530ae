/** What the sync resolvers hand to GraphQL types that are not one table row; codegen.ts maps the types here. */
import type { Connection } from '../../../lib/pagination.ts';
import type { auditEntry } from '../data/audit.ts';
import type { Job } from '../data/tables.ts';
import type { sloReport } from '../kpis/slo.ts';

export type SyncJobConnectionModel = Connection<Job>;
/** The report's targets and windows; postingAccuracy reads only when selected, from `until`. */
export type SloReportModel = Awaited<ReturnType<typeof sloReport>>;
/** The audit log as a page of entries; the schema lists nodes only, so edges keep their rows. */
export type AuditEntryConnectionModel = Omit<Connection<ReturnType<typeof auditEntry>>, 'edges'>;
