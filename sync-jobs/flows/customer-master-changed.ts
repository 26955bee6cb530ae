/**
 * Flow 6: customer financial master (erp) -> crm and psa (and billing's account copy). The erp is the
 * system of record; the others keep copies for validation and display. Billing needs a tax code and
 * payment terms to invoice: a master without them updates crm and psa and leaves billing as it was,
 * which opportunity-won validation then reports.
 */
import * as billing from '../../subgraphs/billing/api/index.ts';
import * as crm from '../../subgraphs/crm/api/index.ts';
import { findCustomersByIds } from '../../subgraphs/crm/data/customers.ts';
import { findMastersByCustomerIds } from '../../subgraphs/erp/data/customer-masters.ts';
import * as psa from '../../subgraphs/psa/api/index.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow } from '../flow.ts';

export const customerMasterChanged: Flow = {
  kind: 'CUSTOMER_MASTER_CHANGED',
  system: 'crm',
  // Started by CUSTOMER_MASTER_CHANGED (lib/triggers.ts), fired in the transaction of the write that caused it.
  trigger: {
    event: 'CUSTOMER_MASTER_CHANGED',
    // Every change is its own job; the source key tells them apart.
    job: (event) => ({
      sourceType: 'CustomerFinancialMaster',
      sourceId: event.customerId,
      sourceKey: `${event.customerId}@${event.changedAt}`,
      customerId: event.customerId,
    }),
  },
  run: async ({ sys, job }) => {
    const [master] = await findMastersByCustomerIds(sys.erp, [job.source_id]);
    if (!master)
      throw new BusinessRuleFailure('NOT_FOUND', `Customer ${job.source_id} has no financial master in the erp`, 'erp', 'customerId');
    const [customer] = await findCustomersByIds(sys.crm, [master.customer_id]);
    if (!customer)
      throw new BusinessRuleFailure(
        'NOT_FOUND',
        `The erp master names customer ${master.customer_id}, which the CRM does not know: create it in the CRM first`,
        'crm',
        'customerId',
      );
    await crm.applyFinancialMaster(sys.crm, customer.id, { legalEntityId: master.legal_entity_id, currency: master.currency });
    await psa.upsertCustomerRef(sys.psa, {
      customerId: customer.id,
      name: customer.name,
      legalEntityId: master.legal_entity_id,
      currency: master.currency,
      paymentTermsDays: master.payment_terms_days,
    });
    const billable = master.tax_code != null && master.payment_terms_days != null;
    if (billable) {
      await billing.upsertBillingAccount(sys.billing, {
        customerId: customer.id,
        name: customer.name,
        legalEntityId: master.legal_entity_id,
        currency: master.currency,
        paymentTermsDays: master.payment_terms_days!,
        taxCode: master.tax_code!,
      });
    }
    return {
      customerId: customer.id,
      targets: {
        crm: { Customer: customer.id },
        psa: { CustomerRef: customer.id },
        ...(billable ? { billing: { BillingAccount: customer.id } } : {}),
      },
      detail: { billingUpdated: billable },
    };
  },
};
