import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, badInput } from '../../../lib/errors.ts';
import type { LedgerPolicy } from '../../../lib/ledger-policy.ts';
import { requireDate, requireText } from '../../../lib/validate.ts';
import { findEntryBySourceKey } from '../data/journals.ts';
import type { ErpDatabase, JournalEntry, Receivable } from '../data/tables.ts';
import { applySettlementEvent, lockReceivable } from './settlement.ts';

export type CreditMemoPostingInput = {
  creditMemoId: string;
  creditMemoNumber: string;
  invoiceId: string;
  issueDate: string;
  reason: string;
  /** Revenue reversed per invoice line, in minor units of the invoice currency. */
  lines: { invoiceLineId: string; accountCode: string; serviceLine: string | null; amountMinor: number }[];
  taxMinor: number;
};

/**
 * Applies a billing credit memo to its invoice's receivable and posts its journal, in one step under
 * the receivable's lock: a receivable can no longer be lowered without its journal (the old
 * `reduceReceivable` did exactly that). The journal reverses revenue and tax at the invoice's own
 * rate, relieves AR by what the open balance fell and moves any cash the credit pushed off the
 * invoice to the customer's credit (settlement.ts). Idempotent on the memo: a second call finds its
 * journal and returns it, changing nothing.
 *
 * Errors: NOT_FOUND (receivable), CREDIT_EXCEEDS_INVOICE (credits above the invoice total),
 * BAD_USER_INPUT, and the posting's (PERIOD_CLOSED, UNKNOWN_ACCOUNT).
 */
export function applyCreditMemo(
  db: Kysely<ErpDatabase>,
  input: CreditMemoPostingInput,
  policy: LedgerPolicy,
): Promise<{ receivable: Receivable; entry: JournalEntry }> {
  return inTransaction(db, async (trx) => {
    const memoId = requireText(input.creditMemoId, 'creditMemoId');
    const issueDate = requireDate(input.issueDate, 'issueDate');
    const r = await lockReceivable(trx, input.invoiceId);
    const posted = await findEntryBySourceKey(trx, r.legal_entity_id, 'CREDIT_MEMO', memoId);
    if (posted) return { receivable: r, entry: posted };
    if (input.lines.length === 0) throw badInput('A credit memo needs at least one line', 'lines');
    for (const [i, l] of input.lines.entries()) {
      if (!Number.isSafeInteger(l.amountMinor) || l.amountMinor <= 0)
        throw appError('INVALID_MONEY', `lines[${i}].amount must be above zero`, { field: `lines[${i}].amount` });
    }
    if (!Number.isSafeInteger(input.taxMinor) || input.taxMinor < 0)
      throw appError('INVALID_MONEY', 'tax must not be negative', { field: 'tax' });
    const { receivable, entry } = await applySettlementEvent(
      trx,
      policy,
      r,
      {
        kind: 'CREDIT_MEMO',
        creditMemoId: memoId,
        lines: input.lines.map((l) => ({
          accountCode: l.accountCode,
          amount: l.amountMinor,
          serviceLine: l.serviceLine,
          invoiceLineId: l.invoiceLineId,
        })),
        tax: input.taxMinor,
      },
      {
        legalEntityId: r.legal_entity_id,
        date: issueDate,
        sourceType: 'CREDIT_MEMO',
        sourceId: memoId,
        memo: `Credit memo ${input.creditMemoNumber} on invoice ${r.invoice_number}: ${input.reason}`,
      },
    );
    return { receivable, entry };
  });
}
