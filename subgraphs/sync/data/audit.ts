import type { Kysely } from 'kysely';
import { keysetPage, type PageArgs } from '../../../lib/pagination.ts';
import type { AuditRow, SyncDatabase } from './tables.ts';

export type { AuditRow };

/** The audit table is written by the gateway (raw SQL there) and read here. */
export function pageAuditLog(db: Kysely<SyncDatabase>, args: PageArgs & { actor?: string | null }) {
  let q = db.selectFrom('sync.audit_log as a').selectAll('a');
  if (args.actor) q = q.where('a.actor', '=', args.actor);
  return keysetPage(q, { list: 'auditLog', args, sortColumn: 'a.id', direction: 'DESC', idColumn: 'a.id', id: (r) => String(r.id) });
}

export const auditEntry = (r: AuditRow) => ({
  id: String(r.id),
  at: r.at,
  actor: r.actor,
  role: r.role,
  customerId: r.customer_id,
  operationName: r.operation_name,
  fields: r.fields,
  variablesSha256: r.variables_sha256,
  outcome: r.outcome,
  errorCodes: r.error_codes,
  requestId: r.request_id,
});
