import type { Kysely } from 'kysely';
import type { Mapping } from '../../lib/mapping.ts';
import * as erp from '../../subgraphs/erp/api/index.ts';
import type { ErpDatabase } from '../../subgraphs/erp/data/tables.ts';
import { BusinessRuleFailure } from '../failures.ts';

/** The mapped accounts of a legal entity, or a business failure naming the mapping version. */
export function entityAccounts(mapping: Mapping, legalEntityId: string) {
  const le = mapping.legalEntities[legalEntityId];
  if (!le)
    throw new BusinessRuleFailure(
      'UNMAPPED_LEGAL_ENTITY',
      `Legal entity ${legalEntityId} is not in the mapping file (version ${mapping.version})`,
      'mapping',
      'legalEntityId',
    );
  return le.accounts;
}

export function serviceLineAccounts(mapping: Mapping, serviceLine: string) {
  const sl = mapping.serviceLines[serviceLine];
  if (!sl)
    throw new BusinessRuleFailure(
      'UNMAPPED_SERVICE_LINE',
      `Service line ${serviceLine} has no accounts in the mapping file (version ${mapping.version})`,
      'mapping',
      'serviceLine',
    );
  return sl;
}

export function taxRateBp(mapping: Mapping, taxCode: string): number {
  const t = mapping.taxCodes[taxCode];
  if (!t)
    throw new BusinessRuleFailure(
      'UNMAPPED_TAX_CODE',
      `Tax code ${taxCode} is not in the mapping file (version ${mapping.version})`,
      'mapping',
      'taxCode',
    );
  return t.rateBp;
}

/**
 * Periods are opened by the first posting into a new month (an existing period, open or closed, is
 * left as it is); closing stays an explicit act of finance. Closed periods follow the mapping's policy.
 */
export async function postWithPolicy(db: Kysely<ErpDatabase>, mapping: Mapping, input: erp.PostJournalEntryInput) {
  return (await postManyWithPolicy(db, mapping, [input]))[0]!;
}

/** `postWithPolicy` for many entries: one period opening per month and legal entity, one bulk posting. */
export async function postManyWithPolicy(db: Kysely<ErpDatabase>, mapping: Mapping, inputs: readonly erp.PostJournalEntryInput[]) {
  const months = new Map(inputs.map((i) => [`${i.legalEntityId}|${i.date.slice(0, 7)}`, i]));
  // In one order for every batch: two batches opening the same new months in different orders each
  // waited for the other's period insert, PostgreSQL aborted one as a deadlock, and the engine reran
  // its jobs one by one (seen in the sync benchmark as 139-337 PROJECT_COST transactions instead of 40).
  for (const key of [...months.keys()].sort()) {
    const i = months.get(key)!;
    await erp.openPeriod(db, i.legalEntityId, i.date.slice(0, 7));
  }
  return erp.postJournalEntries(db, inputs, { closedPeriodPolicy: mapping.closedPeriodPolicy });
}
