import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError } from '../../../lib/errors.ts';
import { requireCurrency, requireText } from '../../../lib/validate.ts';
import type { ContractRef, ErpDatabase } from '../data/tables.ts';
import { assertProjectCustomers } from './project-customers.ts';
import { requireLegalEntity } from './validate.ts';

export type ContractRefInput = {
  contractId: string;
  projectId: string;
  customerId: string;
  legalEntityId: string;
  currency: string;
  serviceLine: string;
};

/**
 * Records (or updates) the erp's reference to a psa contract, written by project activation. Idempotent
 * on the contract id; a project can belong to one contract only, and to the customer the erp's
 * ledger already knows it under (CUSTOMER_MISMATCH).
 */
export function upsertContractRef(db: Kysely<ErpDatabase>, input: ContractRefInput): Promise<ContractRef> {
  return inTransaction(db, async (trx) => {
    const contractId = requireText(input.contractId, 'contractId');
    const projectId = requireText(input.projectId, 'projectId');
    const customerId = requireText(input.customerId, 'customerId');
    const serviceLine = requireText(input.serviceLine, 'serviceLine');
    await requireLegalEntity(trx, input.legalEntityId);
    requireCurrency(input.currency);
    const other = await trx
      .selectFrom('erp.contract_refs')
      .select('contract_id')
      .where('project_id', '=', projectId)
      .where('contract_id', '<>', contractId)
      .executeTakeFirst();
    if (other) throw appError('DUPLICATE', `Project ${projectId} already belongs to contract ${other.contract_id}`, { field: 'projectId' });
    await assertProjectCustomers(trx, [{ projectId, customerId, field: 'customerId' }]);
    const values = {
      project_id: projectId,
      customer_id: customerId,
      legal_entity_id: input.legalEntityId,
      currency: input.currency,
      service_line: serviceLine,
    };
    return trx
      .insertInto('erp.contract_refs')
      .values({ contract_id: contractId, ...values })
      .onConflict((oc) => oc.column('contract_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
