import { type Kysely, sql, type Transaction } from 'kysely';
import { anyOf, inTransaction } from '../../../lib/db.ts';
import { appError, notFound } from '../../../lib/errors.ts';
import { requireDate } from '../../../lib/validate.ts';
import { nextDocumentNumbers } from '../data/numbering.ts';
import type { BillingDatabase, Invoice } from '../data/tables.ts';
import { addDays } from './validate.ts';

type Db = Kysely<BillingDatabase>;

/** Runs inside the writing transaction: whatever it writes (a sync job) commits or rolls back with it. */
export type AfterWrite<T> = (trx: Transaction<BillingDatabase>, result: T) => Promise<void>;

/**
 * Issues a DRAFT invoice: the next number of its legal entity (gap-free, see nextDocumentNumber), the
 * issue date, and the due date = issue date + the customer's payment terms. `issuedAt` records when. An invoice already issued
 * (in any later state) comes back unchanged and `afterWrite` does not run, so replays are harmless.
 *
 * The issue date is not before the work or the milestone the invoice bills, nor before the last
 * issue date of its legal entity: numbers follow dates (ISSUE_DATE_OUT_OF_ORDER; backdated issues
 * used to be accepted and numbered out of order).
 *
 * Errors: NOT_FOUND (invoice, or the customer's billing account), INVALID_STATE_TRANSITION (VOID),
 * ISSUE_DATE_OUT_OF_ORDER, BAD_USER_INPUT (bad date).
 */
export function issueInvoice(
  db: Db,
  invoiceId: string,
  issueDate: string,
  issuedAt: Date,
  afterWrite?: AfterWrite<Invoice>,
): Promise<Invoice> {
  const after: AfterWrite<Invoice[]> | undefined =
    afterWrite && ((trx, issued) => (issued[0] ? afterWrite(trx, issued[0]) : Promise.resolve()));
  return issueInvoices(db, [invoiceId], issueDate, issuedAt, after).then((r) => r[0]!);
}

/**
 * `issueInvoice` for many invoices in a fixed number of statements (a billing cycle's batch), all or
 * nothing. Numbers follow the order of `invoiceIds` within each legal entity. `afterWrite` gets the
 * invoices this call issued (not those issued before). Results follow the order of `invoiceIds`.
 */
export function issueInvoices(
  db: Db,
  invoiceIds: readonly string[],
  issueDate: string,
  issuedAt: Date,
  afterWrite?: AfterWrite<Invoice[]>,
): Promise<Invoice[]> {
  return inTransaction(db, async (trx) => {
    requireDate(issueDate, 'issueDate');
    if (invoiceIds.length === 0) return [];
    // Locked in id order, so overlapping batches queue instead of deadlocking.
    const locked = new Map(
      (await trx.selectFrom('billing.invoices').selectAll().where('id', '=', anyOf(invoiceIds)).orderBy('id').forUpdate().execute()).map(
        (i) => [i.id, i],
      ),
    );
    for (const id of invoiceIds) {
      const invoice = locked.get(id);
      if (!invoice) throw notFound('Invoice', id);
      if (invoice.status === 'VOID')
        throw appError('INVALID_STATE_TRANSITION', `Invoice ${id} is VOID and cannot be issued`, { from: 'VOID', to: 'ISSUED' });
    }
    const drafts = [...new Set(invoiceIds)].map((id) => locked.get(id)!).filter((i) => i.status === 'DRAFT');
    if (drafts.length === 0) return invoiceIds.map((id) => locked.get(id)!);
    const terms = new Map(
      (
        await trx
          .selectFrom('billing.accounts')
          .select(['customer_id', 'payment_terms_days'])
          .where('customer_id', '=', anyOf(new Set(drafts.map((d) => d.customer_id))))
          .execute()
      ).map((a) => [a.customer_id, a.payment_terms_days]),
    );
    const noAccount = drafts.find((d) => !terms.has(d.customer_id));
    if (noAccount)
      throw appError('NOT_FOUND', `Customer ${noAccount.customer_id} has no billing account (erp financial master)`, {
        type: 'BillingAccount',
        id: noAccount.customer_id,
      });
    await requireIssueAfterWork(trx, drafts, issueDate);
    const numbers = new Map<string, string>();
    for (const le of [...new Set(drafts.map((d) => d.legal_entity_id))].sort()) {
      const ofEntity = drafts.filter((d) => d.legal_entity_id === le);
      const taken = await nextDocumentNumbers(trx, le, 'INVOICE', issueDate, ofEntity.length);
      // Checked with the sequence locked: no other issue of this entity can slip in between.
      await requireIssueInNumberOrder(trx, 'billing.invoices', le, issueDate);
      for (const [i, d] of ofEntity.entries()) numbers.set(d.id, taken[i]!);
    }
    const rows = drafts.map((d) => ({ id: d.id, number: numbers.get(d.id)!, due_date: addDays(issueDate, terms.get(d.customer_id)!) }));
    const issued = (
      await sql<Invoice>`
        update billing.invoices i set status = 'ISSUED', number = x.number, issue_date = ${issueDate}::date, due_date = x.due_date, issued_at = ${issuedAt}
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id text, number text, due_date date)
         where i.id = x.id
        returning i.*`.execute(trx)
    ).rows;
    const byId = new Map(issued.map((i) => [i.id, i]));
    if (afterWrite)
      await afterWrite(
        trx,
        drafts.map((d) => byId.get(d.id)!),
      );
    return invoiceIds.map((id) => byId.get(id) ?? locked.get(id)!);
  });
}

/**
 * Voids a DRAFT invoice (it never had a number, so numbering stays gap-free) and releases its items
 * to UNBILLED and its milestones to PLANNED, for the next run. Voiding a VOID invoice returns it.
 *
 * Errors: NOT_FOUND, INVALID_STATE_TRANSITION (issued invoices are reversed by credit memos).
 */
export function voidInvoice(db: Db, invoiceId: string): Promise<Invoice> {
  return inTransaction(db, async (trx) => {
    const invoice = await trx.selectFrom('billing.invoices').selectAll().where('id', '=', invoiceId).forUpdate().executeTakeFirst();
    if (!invoice) throw notFound('Invoice', invoiceId);
    if (invoice.status === 'VOID') return invoice;
    if (invoice.status !== 'DRAFT') {
      throw appError(
        'INVALID_STATE_TRANSITION',
        `Invoice ${invoiceId} is ${invoice.status}; only drafts are voided, issued invoices need a credit memo`,
        { from: invoice.status, to: 'VOID' },
      );
    }
    const lines = trx.selectFrom('billing.invoice_lines').where('invoice_id', '=', invoiceId);
    await trx
      .updateTable('billing.billable_items')
      .set({ status: 'UNBILLED', invoice_line_id: null })
      .where('invoice_line_id', 'in', lines.select('id'))
      .execute();
    await trx
      .updateTable('billing.milestones')
      .set({ status: 'PLANNED' })
      .where('id', 'in', lines.select('milestone_id').where('milestone_id', 'is not', null).$narrowType<{ milestone_id: string }>())
      .execute();
    return trx.updateTable('billing.invoices').set({ status: 'VOID' }).where('id', '=', invoiceId).returningAll().executeTakeFirstOrThrow();
  });
}

/** The issue date may not precede the last day of work or the milestone an invoice bills. */
async function requireIssueAfterWork(trx: Transaction<BillingDatabase>, drafts: readonly Invoice[], issueDate: string): Promise<void> {
  const r = await sql<{ invoice_id: string; last_day: string }>`
    select l.invoice_id, max(coalesce(i.work_date, m.due_date))::text as last_day
      from billing.invoice_lines l
      left join billing.billable_items i on i.invoice_line_id = l.id
      left join billing.milestones m on m.id = l.milestone_id
     where l.invoice_id = any(${drafts.map((d) => d.id)}::text[])
     group by l.invoice_id`.execute(trx);
  const late = r.rows.find((x) => x.last_day && x.last_day > issueDate);
  if (late)
    throw appError(
      'ISSUE_DATE_OUT_OF_ORDER',
      `Invoice ${late.invoice_id} bills work or a milestone of ${late.last_day}; it cannot be issued on ${issueDate}`,
      {
        field: 'issueDate',
        lastDay: late.last_day,
      },
    );
}

/**
 * Numbers follow issue dates within a legal entity: a document dated before the entity's last issued
 * one is ISSUE_DATE_OUT_OF_ORDER. Call it with the entity's number sequence locked.
 */
export async function requireIssueInNumberOrder(
  trx: Transaction<BillingDatabase>,
  table: 'billing.invoices' | 'billing.credit_memos',
  legalEntityId: string,
  issueDate: string,
): Promise<void> {
  const last = await sql<{ last: string | null }>`
    select max(issue_date)::text as last from ${sql.table(table)} where legal_entity_id = ${legalEntityId}`.execute(trx);
  const latest = last.rows[0]?.last;
  if (latest && latest > issueDate)
    throw appError(
      'ISSUE_DATE_OUT_OF_ORDER',
      `${legalEntityId} already issued a document dated ${latest}; numbers follow dates, so ${issueDate} is too early`,
      { field: 'issueDate', lastIssueDate: latest },
    );
}
