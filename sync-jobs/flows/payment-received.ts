/**
 * Flow 5a: payment received (erp) -> billing. Applies the erp payment to its invoice; billing keys it
 * on the erp payment id, so a replay applies it once.
 */
import * as billing from '../../subgraphs/billing/api/index.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow } from '../flow.ts';

export const paymentReceived: Flow = {
  kind: 'PAYMENT_RECEIVED',
  system: 'billing',
  // Started by PAYMENT_RECORDED (lib/triggers.ts), fired in the transaction of the write that caused it.
  trigger: {
    event: 'PAYMENT_RECORDED',
    job: (event) => ({
      sourceType: 'Payment',
      sourceId: event.paymentId,
      customerId: event.customerId,
      invoiceId: event.invoiceId,
    }),
  },
  run: async ({ sys, job }) => {
    const payment = await sys.erp.selectFrom('erp.payments').selectAll().where('id', '=', job.source_id).executeTakeFirst();
    if (!payment) throw new BusinessRuleFailure('NOT_FOUND', `Payment ${job.source_id} does not exist in the erp`, 'erp', 'paymentId');
    const invoice = await billing.applyPayment(sys.billing, {
      invoiceId: payment.invoice_id,
      erpPaymentId: payment.id,
      amountMinor: payment.amount_minor,
      receivedOn: payment.received_on,
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
