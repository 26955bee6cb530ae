import { type ErpContext, load } from '../context.ts';
import type { ContractRef } from '../data/tables.ts';

export const ContractRefResolvers = {
  contractId: (c: ContractRef) => c.contract_id,
  project: (c: ContractRef) => ({ id: c.project_id }),
  customer: (c: ContractRef) => ({ id: c.customer_id }),
  legalEntity: (c: ContractRef, _: unknown, ctx: ErpContext) => load.legalEntity(ctx).load(c.legal_entity_id),
  serviceLine: (c: ContractRef) => c.service_line,
};
