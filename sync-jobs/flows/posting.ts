import type { Kysely } from 'kysely';
import { ledgerPolicy } from '../../lib/ledger-policy.ts';
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
 * Posts with the mapping's accounts and period rules: the first posting into a month opens its
 * period (never one behind a closed month), a closed period follows `closedPeriodPolicy`, and
 * conversion rounding goes to the entity's rounding account. Closing stays an explicit act of finance.
 */
export async function postWithPolicy(db: Kysely<ErpDatabase>, mapping: Mapping, input: erp.PostJournalEntryInput) {
  return (await postManyWithPolicy(db, mapping, [input]))[0]!;
}

/** `postWithPolicy` for many entries in one bulk posting (the erp resolves their periods in one order, so batches do not deadlock). */
export function postManyWithPolicy(db: Kysely<ErpDatabase>, mapping: Mapping, inputs: readonly erp.PostJournalEntryInput[]) {
  return erp.postJournalEntries(db, inputs, {
    closedPeriodPolicy: mapping.closedPeriodPolicy,
    autoOpen: mapping.money.periods.autoOpen,
    policy: ledgerPolicy(mapping),
  });
}
