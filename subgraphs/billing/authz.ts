import { type AuthzPolicy, asIs, pinCustomerArg, pinFilterCustomer } from '../../lib/authz.ts';

/** Billing rules: a portal user sees its own invoices, credit memos, items and account. */
export const billingPolicy: AuthzPolicy = {
  portal: {
    queries: {
      invoices: pinFilterCustomer,
      invoice: asIs,
      billableItems: pinFilterCustomer,
      creditMemos: pinFilterCustomer,
      invoiceTotals: pinFilterCustomer,
      billingAccount: pinCustomerArg,
    },
    owners: {
      Customer: (r) => r.id,
      Invoice: (r) => r.customer_id,
      BillableItem: (r) => r.customer_id,
      CreditMemo: (r) => r.customer_id,
      BillingAccount: (r) => r.customer_id,
      BillingRule: (r) => r.customer_id,
    },
  },
};
