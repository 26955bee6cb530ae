import { type AuthzPolicy, asIs, pinCustomerArg, pinFilterCustomer } from '../../lib/authz.ts';

/** ERP rules: a portal user sees its receivables, payments and financial master, and the journal lines of its own invoices. */
export const erpPolicy: AuthzPolicy = {
  portal: {
    queries: { receivables: pinFilterCustomer, customerFinancialMaster: pinCustomerArg, legalEntity: asIs, legalEntities: asIs },
    owners: {
      Customer: (r) => r.id,
      Receivable: (r) => r.customer_id,
      Payment: (r) => r.customer_id,
      CustomerFinancialMaster: (r) => r.customer_id,
      JournalLine: (r) => r.customer_id,
    },
    restricted: { Account: ['code', 'name', 'type'] },
  },
};
