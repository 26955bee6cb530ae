import { type Kysely, sql } from 'kysely';
import { anyOf, inTransaction } from '../../../lib/db.ts';
import { appError, badInput, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { divRoundHalfUp, formatMoney, toSafeNumber } from '../../../lib/money.ts';
import { requireDate, requireText } from '../../../lib/validate.ts';
import { nextDocumentNumber } from '../data/numbering.ts';
import type { BillingDatabase, CreditMemo, InvoiceStatus, TimeDisposition } from '../data/tables.ts';
import { type AfterWrite, requireIssueInNumberOrder } from './issuing.ts';
import { factsOf, storeSettlement } from './settlement.ts';
import { requireMinor } from './validate.ts';

type Db = Kysely<BillingDatabase>;

export type CreditMemoInput = {
  invoiceId: string;
  lines: { invoiceLineId: string; amountMinor: number }[];
  reason: string;
  timeDisposition: TimeDisposition;
  issueDate: string;
};

export type CreditMemoResult = {
  creditMemo: CreditMemo;
  /** Time entries of fully credited lines, whose billing status the time system must update. */
  affectedTimeEntryIds: string[];
};

const CREDITABLE: ReadonlySet<InvoiceStatus> = new Set(['ISSUED', 'PARTIALLY_PAID', 'PAID', 'WRITTEN_OFF']);

/**
 * Credits all or part of an issued invoice's lines. Per line, at most its amount minus what was
 * already credited; the tax reversed is the line's tax in proportion (rounded half up), and the
 * credit that completes a line reverses exactly the rest of its tax, so a fully credited invoice
 * nets to zero. The memo gets the next CREDIT_MEMO number of the legal entity. An invoice whose
 * credits reach its total becomes CREDITED. The items of fully credited lines go back to UNBILLED
 * (UNBILL: the next run bills them again) or become WRITTEN_OFF, and their milestones go back to
 * PLANNED or become CANCELLED; partly credited lines keep their items.
 *
 * A paid invoice can be credited too: the invoice's balance settles by the shared rule (settlement.ts),
 * so cash the credit pushes off the invoice becomes the customer's credit, which the erp refunds.
 *
 * Errors: NOT_FOUND (invoice or line), INVALID_STATE_TRANSITION (not issued), CREDIT_EXCEEDS_INVOICE,
 * INVALID_MONEY, BAD_USER_INPUT.
 */
export function issueCreditMemo(db: Db, input: CreditMemoInput, afterWrite?: AfterWrite<CreditMemoResult>): Promise<CreditMemoResult> {
  return inTransaction(db, async (trx) => {
    const reason = requireText(input.reason, 'reason');
    const issueDate = requireDate(input.issueDate, 'issueDate');
    if (input.timeDisposition !== 'UNBILL' && input.timeDisposition !== 'WRITE_OFF')
      throw badInput(`timeDisposition ${input.timeDisposition} is unknown`, 'timeDisposition');
    if (input.lines.length === 0) throw badInput('A credit memo needs at least one line', 'lines');
    const invoice = await trx.selectFrom('billing.invoices').selectAll().where('id', '=', input.invoiceId).forUpdate().executeTakeFirst();
    if (!invoice) throw notFound('Invoice', input.invoiceId);
    if (!CREDITABLE.has(invoice.status)) {
      throw appError('INVALID_STATE_TRANSITION', `Invoice ${invoice.id} is ${invoice.status}; only issued invoices are credited`, {
        from: invoice.status,
        to: 'CREDITED',
      });
    }
    const lines = new Map(
      (await trx.selectFrom('billing.invoice_lines').selectAll().where('invoice_id', '=', invoice.id).execute()).map((l) => [l.id, l]),
    );
    const taxCredited = new Map(
      (
        await trx
          .selectFrom('billing.credit_memo_lines')
          .select(['invoice_line_id', sql<number>`sum(tax_minor)::bigint`.as('tax')])
          .where('invoice_line_id', '=', anyOf(lines.keys()))
          .groupBy('invoice_line_id')
          .execute()
      ).map((r) => [r.invoice_line_id, r.tax]),
    );
    const seen = new Set<string>();
    const credits = input.lines.map((c, i) => {
      const field = `lines[${i}]`;
      const line = lines.get(c.invoiceLineId);
      if (!line)
        throw appError('NOT_FOUND', `Invoice line ${c.invoiceLineId} is not on invoice ${invoice.id}`, {
          type: 'InvoiceLine',
          id: c.invoiceLineId,
          field: `${field}.invoiceLineId`,
        });
      if (seen.has(line.id)) throw badInput(`Invoice line ${line.id} appears twice`, `${field}.invoiceLineId`);
      seen.add(line.id);
      const amount = requireMinor(c.amountMinor, `${field}.amount`);
      const left = line.amount_minor - line.credited_minor;
      if (amount > left) {
        throw appError(
          'CREDIT_EXCEEDS_INVOICE',
          `Line ${line.line_no} has ${formatMoney(left, invoice.currency)} left to credit, asked ${formatMoney(amount, invoice.currency)}`,
          {
            field: `${field}.amount`,
            invoiceLineId: line.id,
            remaining: formatMoney(left, invoice.currency),
          },
        );
      }
      const taxLeft = line.tax_minor - (taxCredited.get(line.id) ?? 0);
      const full = amount === left;
      const tax = full
        ? taxLeft
        : Math.min(taxLeft, toSafeNumber(divRoundHalfUp(BigInt(line.tax_minor) * BigInt(amount), BigInt(line.amount_minor))));
      return { line, amount, tax, full };
    });
    const subtotal = credits.reduce((s, c) => s + c.amount, 0);
    const tax = credits.reduce((s, c) => s + c.tax, 0);
    if (invoice.issue_date && issueDate < invoice.issue_date)
      throw appError(
        'ISSUE_DATE_OUT_OF_ORDER',
        `Invoice ${invoice.number} was issued on ${invoice.issue_date}; a credit memo cannot precede it`,
        {
          field: 'issueDate',
          lastIssueDate: invoice.issue_date,
        },
      );
    const number = await nextDocumentNumber(trx, invoice.legal_entity_id, 'CREDIT_MEMO', issueDate);
    await requireIssueInNumberOrder(trx, 'billing.credit_memos', invoice.legal_entity_id, issueDate);
    const memo = await trx
      .insertInto('billing.credit_memos')
      .values({
        id: newId('crm'),
        number,
        legal_entity_id: invoice.legal_entity_id,
        invoice_id: invoice.id,
        customer_id: invoice.customer_id,
        currency: invoice.currency,
        issue_date: issueDate,
        reason,
        time_disposition: input.timeDisposition,
        subtotal_minor: subtotal,
        tax_minor: tax,
        total_minor: subtotal + tax,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('billing.credit_memo_lines')
      .values(
        credits.map((c) => ({
          id: newId('cml'),
          credit_memo_id: memo.id,
          invoice_line_id: c.line.id,
          amount_minor: c.amount,
          tax_minor: c.tax,
        })),
      )
      .execute();
    for (const c of credits) {
      await trx
        .updateTable('billing.invoice_lines')
        .set({ credited_minor: c.line.credited_minor + c.amount })
        .where('id', '=', c.line.id)
        .execute();
    }
    // Money already received is not in the way: what the credit pushes off the invoice becomes the
    // customer's credit in the erp (refundable), settled by the same rule here and there.
    await storeSettlement(trx, invoice, { ...factsOf(invoice), credited: invoice.credited_minor + memo.total_minor });
    const fullLines = credits.filter((c) => c.full).map((c) => c.line.id);
    let affectedTimeEntryIds: string[] = [];
    if (fullLines.length) {
      const released = await trx
        .updateTable('billing.billable_items')
        .set({ status: input.timeDisposition === 'UNBILL' ? 'UNBILLED' : 'WRITTEN_OFF', invoice_line_id: null })
        .where('invoice_line_id', '=', anyOf(fullLines))
        .returning(['source_type', 'source_id'])
        .execute();
      affectedTimeEntryIds = released
        .filter((r) => r.source_type === 'TIME_ENTRY')
        .map((r) => r.source_id)
        .sort();
      const milestoneIds = credits.filter((c) => c.full && c.line.milestone_id).map((c) => c.line.milestone_id!);
      if (milestoneIds.length) {
        await trx
          .updateTable('billing.milestones')
          .set({ status: input.timeDisposition === 'UNBILL' ? 'PLANNED' : 'CANCELLED' })
          .where('id', '=', anyOf(milestoneIds))
          .execute();
      }
    }
    const result = { creditMemo: memo, affectedTimeEntryIds };
    if (afterWrite) await afterWrite(trx, result);
    return result;
  });
}
