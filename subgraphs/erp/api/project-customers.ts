import type { Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { appError } from '../../../lib/errors.ts';
import type { ErpDatabase } from '../data/tables.ts';

/** A row about to be written that names a project with a customer; `field` names it in the error. */
export type ProjectCustomerRef = { projectId: string | null | undefined; customerId: string | null | undefined; field: string };

/**
 * Refuses, before anything is written, a row that names a project with another customer than the
 * erp's project register records, or than an earlier row of the same write names (CUSTOMER_MISMATCH).
 * The register's foreign keys are the race-free backstop at commit; this gives the caller (a sync
 * flow inside its own transaction included) the clear error first.
 */
export async function assertProjectCustomers(trx: Transaction<ErpDatabase>, refs: readonly ProjectCustomerRef[]): Promise<void> {
  const named = refs.filter((r) => r.projectId && r.customerId);
  if (named.length === 0) return;
  const owners = new Map(
    (
      await trx
        .selectFrom('erp.project_customers')
        .selectAll()
        .where('project_id', '=', anyOf(new Set(named.map((r) => r.projectId!))))
        .execute()
    ).map((r) => [r.project_id, r.customer_id]),
  );
  for (const r of named) {
    const owner = owners.get(r.projectId!);
    if (owner === undefined) owners.set(r.projectId!, r.customerId!);
    else if (owner !== r.customerId)
      throw appError('CUSTOMER_MISMATCH', `Project ${r.projectId} belongs to customer ${owner} in the erp, not to ${r.customerId}`, {
        field: r.field,
        projectId: r.projectId,
        expected: owner,
      });
  }
}
