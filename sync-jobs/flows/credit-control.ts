/**
 * What a customer's financial master means for new work and for invoicing (mapping
 * `money.creditControl`, docs/money.md), as common ERPs treat a credit hold: an INACTIVE customer
 * gets no new project and no invoice; an ON_HOLD one gets no new project (and no invoice when the
 * mapping says so); a won deal that would take the customer's open receivables past its credit limit
 * waits until they are paid down or the limit is raised. Each is a business exception an operator
 * resolves by fixing the master, then replaying.
 */
import type { Mapping } from '../../lib/mapping.ts';
import { formatMoney } from '../../lib/money.ts';
import { findMastersByCustomerIds } from '../../subgraphs/erp/data/customer-masters.ts';
import { receivableOpenByCustomer } from '../../subgraphs/erp/data/reconciliation.ts';
import type { CustomerMaster } from '../../subgraphs/erp/data/tables.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Systems } from '../flow.ts';

function refuseInactive(m: CustomerMaster): void {
  if (m.status === 'INACTIVE')
    throw new BusinessRuleFailure(
      'CUSTOMER_INACTIVE',
      `Customer ${m.customer_id} is INACTIVE in the erp: it takes no new work or invoices`,
      'erp',
      'status',
    );
}

/** A won deal of `amountMinor` (in the master's currency) may start a project for this customer. */
export async function requireActivationAllowed(sys: Systems, mapping: Mapping, master: CustomerMaster, amountMinor: number): Promise<void> {
  const policy = mapping.money.creditControl;
  refuseInactive(master);
  if (master.status === 'ON_HOLD' && policy.onHold.blockProjectActivation)
    throw new BusinessRuleFailure(
      'CUSTOMER_ON_HOLD',
      `Customer ${master.customer_id} is ON_HOLD in the erp: release the hold, then replay to activate the project`,
      'erp',
      'status',
    );
  if (policy.creditLimit !== 'ACTIVATION' || master.credit_limit_minor === 0) return;
  const open = (await receivableOpenByCustomer(sys.erp, [master.customer_id]))
    .filter((r) => r.currency === master.currency)
    .reduce((s, r) => s + Number(r.open_minor), 0);
  if (open + amountMinor > master.credit_limit_minor) {
    const f = (m: number) => formatMoney(m, master.currency);
    throw new BusinessRuleFailure(
      'CREDIT_LIMIT_EXCEEDED',
      `Customer ${master.customer_id} owes ${f(open)} ${master.currency}; with this deal's ${f(amountMinor)} that passes its credit limit of ${f(master.credit_limit_minor)}`,
      'erp',
      'creditLimit',
    );
  }
}

/** These customers may be invoiced. */
export async function requireInvoicingAllowed(sys: Systems, mapping: Mapping, customerIds: readonly string[]): Promise<void> {
  if (customerIds.length === 0) return;
  for (const m of await findMastersByCustomerIds(sys.erp, customerIds)) {
    refuseInactive(m);
    if (m.status === 'ON_HOLD' && mapping.money.creditControl.onHold.blockInvoicing)
      throw new BusinessRuleFailure(
        'CUSTOMER_ON_HOLD',
        `Customer ${m.customer_id} is ON_HOLD in the erp: its invoicing waits for the release`,
        'erp',
        'status',
      );
  }
}
