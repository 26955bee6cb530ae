import type { Kysely } from 'kysely';
import type { BillingDatabase } from '../../billing/api/reads.ts';
import type { CrmDatabase } from '../../crm/api/reads.ts';
import type { ErpDatabase } from '../../erp/api/reads.ts';
import type { PsaDatabase } from '../../psa/api/reads.ts';
import type { TimeDatabase } from '../../time/api/reads.ts';

/**
 * The shared pool seen through each system's own table types (the idea of sync-jobs/flow.ts
 * `systemsOf`, read-only here): `sys.erp` reaches erp tables only, so reconciliation can read another
 * system only through that system's exported data functions, never by joining across schemas.
 * Not derived from the registry, on purpose: these are the systems reconciliation compares (a new
 * system takes part once its checks are written here), and the registry imports this subgraph, so
 * importing the registry back would be a circle.
 */
export type ReadSystems = {
  crm: Kysely<CrmDatabase>;
  psa: Kysely<PsaDatabase>;
  time: Kysely<TimeDatabase>;
  billing: Kysely<BillingDatabase>;
  erp: Kysely<ErpDatabase>;
};

export function readSystemsOf<DB>(db: Kysely<DB>): ReadSystems {
  const same = db as unknown as Kysely<never>;
  return { crm: same, psa: same, time: same, billing: same, erp: same } as unknown as ReadSystems;
}
