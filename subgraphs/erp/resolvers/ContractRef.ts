import { loadRequired } from '../../../lib/loaders.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const ContractRefResolvers: gql.ContractRefResolvers = {
  contractId: (c) => c.contract_id,
  project: (c) => ({ id: c.project_id }),
  customer: (c) => ({ id: c.customer_id }),
  legalEntity: (c, _, ctx) => loadRequired(load.legalEntity(ctx), c.legal_entity_id, 'LegalEntity'),
  serviceLine: (c) => c.service_line,
};
