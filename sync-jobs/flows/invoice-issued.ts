/**
 * Flow 4: invoice issued -> ERP. Posts the receivable and revenue journal (debit AR with the total;
 * credit revenue per line on its service line's account; credit tax payable) and opens the receivable,
 * idempotent on the invoice id (erp refuses a second posting of one source). Functional-currency
 * amounts come from the erp's FX rates when the invoice currency differs. A billing cycle issues
 * hundreds of invoices at once, so the flow works set-based on a batch of invoices.
 */

import type { Mapping } from '../../lib/mapping.ts';
import { formatMoney } from '../../lib/money.ts';
import { findInvoicesByIds, findLinesOfInvoices } from '../../subgraphs/billing/data/invoices.ts';
import { findItemsOfLines } from '../../subgraphs/billing/data/items.ts';
import type { InvoiceLine } from '../../subgraphs/billing/data/tables.ts';
import * as erp from '../../subgraphs/erp/api/index.ts';
import type { Job } from '../../subgraphs/sync/data/tables.ts';
import * as time from '../../subgraphs/time/api/index.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow, Systems } from '../flow.ts';
import type { JobResult } from '../ledger.ts';
import { entityAccounts, postManyWithPolicy, serviceLineAccounts } from './posting.ts';

async function postInvoices(sys: Systems, mapping: Mapping, jobs: readonly Job[]): Promise<JobResult[]> {
  const ids = jobs.map((j) => j.source_id);
  const invoices = new Map((await findInvoicesByIds(sys.billing, ids)).map((i) => [i.id, i]));
  for (const id of ids) {
    const invoice = invoices.get(id);
    if (!invoice) throw new BusinessRuleFailure('NOT_FOUND', `Invoice ${id} does not exist in billing`, 'billing', 'invoiceId');
    if (!invoice.number || !invoice.issue_date || !invoice.due_date)
      throw new BusinessRuleFailure(
        'INVALID_STATE_TRANSITION',
        `Invoice ${invoice.id} is ${invoice.status}, not issued`,
        'billing',
        'status',
      );
  }
  const linesOf = new Map<string, InvoiceLine[]>();
  for (const l of await findLinesOfInvoices(sys.billing, ids)) linesOf.set(l.invoice_id, [...(linesOf.get(l.invoice_id) ?? []), l]);
  const ordered = ids.map((id) => invoices.get(id)!);
  const entries = await postManyWithPolicy(
    sys.erp,
    mapping,
    ordered.map((invoice) => {
      const accounts = entityAccounts(mapping, invoice.legal_entity_id);
      const cur = invoice.currency;
      const dims = { customerId: invoice.customer_id, projectId: invoice.project_id };
      return {
        legalEntityId: invoice.legal_entity_id,
        date: invoice.issue_date!,
        sourceType: 'INVOICE',
        sourceId: invoice.id,
        memo: `Invoice ${invoice.number}`,
        currency: cur,
        lines: [
          // Every AR line names its invoice: per invoice, the AR account is the receivable (docs/lineage.md).
          {
            accountCode: accounts.receivable,
            debit: formatMoney(invoice.total_minor, cur),
            ...dims,
            sourceLineType: 'INVOICE',
            sourceLineId: invoice.id,
          },
          ...(linesOf.get(invoice.id) ?? [])
            .filter((l) => l.amount_minor > 0)
            .map((l) => ({
              accountCode: serviceLineAccounts(mapping, l.service_line).revenueAccount,
              credit: formatMoney(l.amount_minor, cur),
              ...dims,
              serviceLine: l.service_line,
              sourceLineType: 'INVOICE_LINE',
              sourceLineId: l.id,
            })),
          ...(invoice.tax_minor > 0
            ? [
                {
                  accountCode: accounts.taxPayable,
                  credit: formatMoney(invoice.tax_minor, cur),
                  ...dims,
                  sourceLineType: 'INVOICE_TAX',
                  sourceLineId: invoice.id,
                },
              ]
            : []),
        ],
      };
    }),
  );
  const receivables = await erp.createReceivables(
    sys.erp,
    ordered.map((invoice, i) => ({
      invoiceId: invoice.id,
      invoiceNumber: invoice.number!,
      customerId: invoice.customer_id,
      legalEntityId: invoice.legal_entity_id,
      projectId: invoice.project_id,
      currency: invoice.currency,
      amount: formatMoney(invoice.total_minor, invoice.currency),
      issueDate: invoice.issue_date!,
      dueDate: invoice.due_date!,
      journalEntryId: entries[i]!.id,
    })),
  );
  // The invoiced hours are billed, however the invoice was issued (a billing run marks them itself;
  // an invoice drafted and issued by hand used to leave them UNBILLED). Already BILLED is a no-op.
  const lineIds = [...linesOf.values()].flat().map((l) => l.id);
  const entryIds = (lineIds.length ? await findItemsOfLines(sys.billing, lineIds) : [])
    .filter((it) => it.source_type === 'TIME_ENTRY' && it.status === 'INVOICED')
    .map((it) => it.source_id);
  if (entryIds.length) await time.setBillingStatus(sys.time, entryIds, 'BILLED');
  return ordered.map((invoice, i) => ({
    invoiceId: invoice.id,
    journalEntryId: entries[i]!.id,
    customerId: invoice.customer_id,
    projectId: invoice.project_id,
    targets: { erp: { JournalEntry: entries[i]!.id, Receivable: receivables[i]!.id } },
  }));
}

export const invoiceIssued: Flow = {
  kind: 'INVOICE_ISSUED',
  system: 'erp',
  // Started by INVOICE_ISSUED (lib/triggers.ts), fired in the transaction of the write that caused it.
  trigger: {
    event: 'INVOICE_ISSUED',
    job: (event) => ({
      sourceType: 'Invoice',
      sourceId: event.invoiceId,
      customerId: event.customerId,
      projectId: event.projectId,
      invoiceId: event.invoiceId,
    }),
  },
  run: async ({ sys, job, mapping }) => (await postInvoices(sys, mapping, [job]))[0]!,
  runMany: ({ sys, jobs, mapping }) => postInvoices(sys, mapping, jobs),
};
