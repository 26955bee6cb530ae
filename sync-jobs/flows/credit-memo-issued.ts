/**
 * Flow 5b: credit memo (billing) -> erp and time. Posts the reversing journal (debit revenue per
 * credited line's service line, debit tax payable, credit AR), reduces the receivable, and sends the
 * time of fully credited lines back to UNBILLED or to WRITTEN_OFF in the time system.
 * The receivable is reduced only together with the first posting of the journal, so a replay
 * (which finds the journal already posted) cannot reduce it twice.
 */
import { formatMoney } from '../../lib/money.ts';
import { findCreditMemoLines, findCreditMemosByIds } from '../../subgraphs/billing/data/credit-memos.ts';
import { findInvoicesByIds, findLinesByIds } from '../../subgraphs/billing/data/invoices.ts';
import * as erp from '../../subgraphs/erp/api/index.ts';
import * as time from '../../subgraphs/time/api.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow } from '../flow.ts';
import { entityAccounts, postWithPolicy, serviceLineAccounts } from './posting.ts';

export const creditMemoIssued: Flow = {
  kind: 'CREDIT_MEMO_ISSUED',
  system: 'erp',
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
    const accounts = entityAccounts(mapping, memo.legal_entity_id);
    const cur = memo.currency;
    const dims = { customerId: memo.customer_id, projectId: invoice.project_id };
    const already = await sys.erp
      .selectFrom('erp.journal_entries')
      .select('id')
      .where('legal_entity_id', '=', memo.legal_entity_id)
      .where('source_type', '=', 'CREDIT_MEMO')
      .where('source_id', '=', memo.id)
      .executeTakeFirst();
    const entry = await postWithPolicy(sys.erp, mapping, {
      legalEntityId: memo.legal_entity_id,
      date: memo.issue_date,
      sourceType: 'CREDIT_MEMO',
      sourceId: memo.id,
      memo: `Credit memo ${memo.number} on invoice ${invoice.number}: ${memo.reason}`,
      currency: cur,
      lines: [
        ...memoLines.map((l) => {
          const il = invoiceLines.get(l.invoice_line_id)!;
          return {
            accountCode: serviceLineAccounts(mapping, il.service_line).revenueAccount,
            debit: formatMoney(l.amount_minor, cur),
            ...dims,
            serviceLine: il.service_line,
            sourceLineType: 'INVOICE_LINE',
            sourceLineId: il.id,
          };
        }),
        ...(memo.tax_minor > 0 ? [{ accountCode: accounts.taxPayable, debit: formatMoney(memo.tax_minor, cur), ...dims }] : []),
        { accountCode: accounts.receivable, credit: formatMoney(memo.total_minor, cur), ...dims },
      ],
    });
    if (!already) await erp.reduceReceivable(sys.erp, memo.invoice_id, formatMoney(memo.total_minor, cur));

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
