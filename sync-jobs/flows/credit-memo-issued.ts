/**
 * Flow 5b: credit memo (billing) -> erp and time. The erp applies the memo to the invoice's
 * receivable and posts its journal in one step under the receivable's lock (revenue and tax reversed
 * at the invoice's rate; AR relieved by what the balance fell; cash the credit pushed off a paid
 * invoice held as customer credit), idempotent on the memo; the time of fully credited lines goes back
 * to UNBILLED or to WRITTEN_OFF in the time system.
 */
import { ledgerPolicy } from '../../lib/ledger-policy.ts';
import { findCreditMemoLines, findCreditMemosByIds } from '../../subgraphs/billing/data/credit-memos.ts';
import { findInvoicesByIds, findLinesByIds } from '../../subgraphs/billing/data/invoices.ts';
import * as erp from '../../subgraphs/erp/api/index.ts';
import * as time from '../../subgraphs/time/api/index.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow } from '../flow.ts';
import { serviceLineAccounts } from './posting.ts';

export const creditMemoIssued: Flow = {
  kind: 'CREDIT_MEMO_ISSUED',
  system: 'erp',
  // Started by CREDIT_MEMO_ISSUED (lib/triggers.ts), fired in the transaction of the write that caused it.
  trigger: {
    event: 'CREDIT_MEMO_ISSUED',
    job: (event) => ({
      sourceType: 'CreditMemo',
      sourceId: event.creditMemoId,
      customerId: event.customerId,
      invoiceId: event.invoiceId,
      payload: { timeEntryIds: event.timeEntryIds, timeDisposition: event.timeDisposition },
    }),
  },
  run: async ({ sys, job, mapping }) => {
    const [memo] = await findCreditMemosByIds(sys.billing, [job.source_id]);
    if (!memo)
      throw new BusinessRuleFailure('NOT_FOUND', `Credit memo ${job.source_id} does not exist in billing`, 'billing', 'creditMemoId');
    const [invoice] = await findInvoicesByIds(sys.billing, [memo.invoice_id]);
    const memoLines = await findCreditMemoLines(sys.billing, [memo.id]);
    const invoiceLines = new Map(
      (
        await findLinesByIds(
          sys.billing,
          memoLines.map((l) => l.invoice_line_id),
        )
      ).map((l) => [l.id, l]),
    );
    const { entry } = await erp.applyCreditMemo(
      sys.erp,
      {
        creditMemoId: memo.id,
        creditMemoNumber: memo.number,
        invoiceId: memo.invoice_id,
        issueDate: memo.issue_date,
        reason: memo.reason,
        lines: memoLines.map((l) => {
          const il = invoiceLines.get(l.invoice_line_id)!;
          return {
            invoiceLineId: il.id,
            accountCode: serviceLineAccounts(mapping, il.service_line).revenueAccount,
            serviceLine: il.service_line,
            amountMinor: l.amount_minor,
          };
        }),
        taxMinor: memo.tax_minor,
      },
      ledgerPolicy(mapping),
    );

    const payload = job.payload as { timeEntryIds?: string[]; timeDisposition?: 'UNBILL' | 'WRITE_OFF' };
    const entryIds = payload.timeEntryIds ?? [];
    if (entryIds.length)
      await time.setBillingStatus(sys.time, entryIds, payload.timeDisposition === 'WRITE_OFF' ? 'WRITTEN_OFF' : 'UNBILLED');
    return {
      invoiceId: memo.invoice_id,
      customerId: memo.customer_id,
      projectId: invoice.project_id,
      journalEntryId: entry.id,
      targets: { erp: { JournalEntry: entry.id }, ...(entryIds.length ? { time: { TimeEntry: entryIds } } : {}) },
    };
  },
};
