/**
 * Flow 5c: bad-debt write-off (erp) -> billing. The erp's receivable is the authoritative balance;
 * billing applies the write-off to its copy of the invoice, once per erp write-off, and settles it by
 * the same rule, so both show the invoice WRITTEN_OFF with nothing open.
 */
import * as billing from '../../subgraphs/billing/api/index.ts';
import { findWriteOffsByIds } from '../../subgraphs/erp/data/money-edges.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow } from '../flow.ts';

export const receivableWrittenOff: Flow = {
  kind: 'RECEIVABLE_WRITTEN_OFF',
  system: 'billing',
  // Started by RECEIVABLE_WRITTEN_OFF (lib/triggers.ts), fired in the transaction of the write that caused it.
  trigger: {
    event: 'RECEIVABLE_WRITTEN_OFF',
    job: (event) => ({
      sourceType: 'WriteOff',
      sourceId: event.writeOffId,
      customerId: event.customerId,
      invoiceId: event.invoiceId,
    }),
  },
  run: async ({ sys, job }) => {
    const [w] = await findWriteOffsByIds(sys.erp, [job.source_id]);
    if (!w) throw new BusinessRuleFailure('NOT_FOUND', `Write-off ${job.source_id} does not exist in the erp`, 'erp', 'writeOffId');
    const invoice = await billing.applyWriteOff(sys.billing, {
      invoiceId: w.invoice_id,
      erpWriteOffId: w.id,
      amountMinor: w.amount_minor,
      writtenOffOn: w.written_off_on,
    });
    return {
      invoiceId: invoice.id,
      customerId: invoice.customer_id,
      projectId: invoice.project_id,
      targets: { billing: { Invoice: invoice.id } },
      detail: { invoiceStatus: invoice.status },
    };
  },
};
