import { appError } from './errors.ts';
import type { EntityAccounts, Mapping } from './mapping.ts';

/**
 * What the erp's postings take from the mapping file: each legal entity's accounts and the period and
 * payment policies. The erp subgraph and the sync flows build it from the same validated mapping, so
 * a payment recorded through the graph posts to the same accounts as one posted by a flow (they used
 * to differ: the payment mutation hard-coded 1000/1200).
 */
export type LedgerPolicy = {
  version: string;
  /** The mapped accounts of a legal entity; NOT_FOUND (field legalEntityId) when the mapping has none. */
  accounts: (legalEntityId: string) => EntityAccounts;
  closedPeriodPolicy: Mapping['closedPeriodPolicy'];
  /** The first posting into a month opens its period (docs/money.md, "Periods"). */
  autoOpenPeriods: boolean;
  overpayment: Mapping['money']['overpayment'];
};

export function ledgerPolicy(mapping: Mapping): LedgerPolicy {
  return {
    version: mapping.version,
    accounts: (legalEntityId) => {
      const le = Object.hasOwn(mapping.legalEntities, legalEntityId) ? mapping.legalEntities[legalEntityId] : undefined;
      if (!le)
        throw appError('NOT_FOUND', `Legal entity ${legalEntityId} is not in the mapping file (version ${mapping.version})`, {
          field: 'legalEntityId',
          type: 'LegalEntity',
          id: legalEntityId,
        });
      return le.accounts;
    },
    closedPeriodPolicy: mapping.closedPeriodPolicy,
    autoOpenPeriods: mapping.money.periods.autoOpen,
    overpayment: mapping.money.overpayment,
  };
}
