/**
 * Flow 4: invoice issued -> ERP. Posts the receivable and revenue journal (debit AR with the total;
 * credit revenue per line on its service line's account; credit tax payable) and opens the receivable,
 * idempotent on the invoice id (erp refuses a second posting of one source). Functional-currency
 * amounts come from the erp's FX rates when the invoice currency differs.
 */
import { formatMoney } from '../../lib/money.ts';
import { findInvoicesByIds, findLinesOfInvoices } from '../../subgraphs/billing/data/invoices.ts';
import * as erp from '../../subgraphs/erp/api/index.ts';
import { BusinessRuleFailure } from '../failures.ts';
import { eachInOneTransaction, type Flow } from '../flow.ts';
import { entityAccounts, postWithPolicy, serviceLineAccounts } from './posting.ts';

export const invoiceIssued: Flow = {
  kind: 'INVOICE_ISSUED',
  system: 'erp',
  run: async ({ sys, job, mapping }) => {
    const [invoice] = await findInvoicesByIds(sys.billing, [job.source_id]);
    if (!invoice) throw new BusinessRuleFailure('NOT_FOUND', `Invoice ${job.source_id} does not exist in billing`, 'billing', 'invoiceId');
    if (!invoice.number || !invoice.issue_date || !invoice.due_date) throw new BusinessRuleFailure('INVALID_STATE_TRANSITION', `Invoice ${invoice.id} is ${invoice.status}, not issued`, 'billing', 'status');
    const lines = await findLinesOfInvoices(sys.billing, [invoice.id]);
    const accounts = entityAccounts(mapping, invoice.legal_entity_id);
    const cur = invoice.currency;
    const dims = { customerId: invoice.customer_id, projectId: invoice.project_id };
    const entry = await postWithPolicy(sys.erp, mapping, {
      legalEntityId: invoice.legal_entity_id,
      date: invoice.issue_date,
      sourceType: 'INVOICE',
      sourceId: invoice.id,
      memo: `Invoice ${invoice.number}`,
      currency: cur,
      lines: [
        { accountCode: accounts.receivable, debit: formatMoney(invoice.total_minor, cur), ...dims },
        ...lines
          .filter((l) => l.amount_minor > 0)
          .map((l) => ({
            accountCode: serviceLineAccounts(mapping, l.service_line).revenueAccount,
            credit: formatMoney(l.amount_minor, cur),
            ...dims,
            serviceLine: l.service_line,
            sourceLineType: 'INVOICE_LINE',
            sourceLineId: l.id,
          })),
        ...(invoice.tax_minor > 0 ? [{ accountCode: accounts.taxPayable, credit: formatMoney(invoice.tax_minor, cur), ...dims }] : []),
      ],
    });
    const receivable = await erp.createReceivable(sys.erp, {
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      customerId: invoice.customer_id,
      legalEntityId: invoice.legal_entity_id,
      projectId: invoice.project_id,
      currency: cur,
      amount: formatMoney(invoice.total_minor, cur),
      issueDate: invoice.issue_date,
      dueDate: invoice.due_date,
      journalEntryId: entry.id,
    });
    return {
      invoiceId: invoice.id,
      journalEntryId: entry.id,
      customerId: invoice.customer_id,
      projectId: invoice.project_id,
      targets: { erp: { JournalEntry: entry.id, Receivable: receivable.id } },
    };
  },
};

// Many runs in one transaction: a month-end billing cycle enqueues hundreds of these at once.
invoiceIssued.runMany = eachInOneTransaction(invoiceIssued.run);
