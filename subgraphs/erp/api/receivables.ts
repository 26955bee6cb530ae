import type { Kysely } from 'kysely';
import { anyOf, inTransaction } from '../../../lib/db.ts';
import { appError, badInput } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireCurrency, requireDate, requireMoney, requireText } from '../../../lib/validate.ts';
import { findLegalEntitiesByIds } from '../data/ledger.ts';
import type { ErpDatabase, Receivable } from '../data/tables.ts';
import { assertProjectCustomers } from './project-customers.ts';
import { legalEntityNotFound } from './validate.ts';

export type CreateReceivableInput = {
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  legalEntityId: string;
  projectId?: string | null;
  currency: string;
  amount: string;
  issueDate: string;
  dueDate: string;
  journalEntryId?: string | null;
};

/**
 * Opens the receivable of an issued invoice. Idempotent on the invoice id: a second call returns the
 * receivable already open for it, unchanged.
 */
export function createReceivable(db: Kysely<ErpDatabase>, input: CreateReceivableInput): Promise<Receivable> {
  return createReceivables(db, [input]).then((r) => r[0]!);
}

/**
 * `createReceivable` for many invoices in a fixed number of statements, all or nothing: the first
 * invalid input throws its error (CUSTOMER_MISMATCH for a project the erp knows under another
 * customer). Results follow the order of `inputs`.
 */
export function createReceivables(db: Kysely<ErpDatabase>, inputs: readonly CreateReceivableInput[]): Promise<Receivable[]> {
  return inTransaction(db, async (trx) => {
    if (inputs.length === 0) return [];
    const invoiceIds = inputs.map((i) => requireText(i.invoiceId, 'invoiceId'));
    const existing = new Map(
      (await trx.selectFrom('erp.receivables').selectAll().where('invoice_id', '=', anyOf(invoiceIds)).execute()).map((r) => [
        r.invoice_id,
        r,
      ]),
    );
    const todo = [...new Map(inputs.filter((i) => !existing.has(i.invoiceId.trim())).map((i) => [i.invoiceId.trim(), i])).values()];
    if (todo.length === 0) return invoiceIds.map((id) => existing.get(id)!);
    const les = new Set((await findLegalEntitiesByIds(trx, [...new Set(todo.map((i) => i.legalEntityId))])).map((l) => l.id));
    const journalIds = [...new Set(todo.flatMap((i) => (i.journalEntryId ? [i.journalEntryId] : [])))];
    const journals = new Set(
      journalIds.length
        ? (await trx.selectFrom('erp.journal_entries').select('id').where('id', '=', anyOf(journalIds)).execute()).map((e) => e.id)
        : [],
    );
    const rows = todo.map((input) => {
      const invoiceNumber = requireText(input.invoiceNumber, 'invoiceNumber');
      const customerId = requireText(input.customerId, 'customerId');
      if (!les.has(input.legalEntityId)) throw legalEntityNotFound(input.legalEntityId);
      requireCurrency(input.currency);
      const amount = requireMoney(input.amount, input.currency, 'amount', { allowZero: false });
      requireDate(input.issueDate, 'issueDate');
      requireDate(input.dueDate, 'dueDate');
      if (input.dueDate < input.issueDate) throw badInput(`dueDate ${input.dueDate} is before issueDate ${input.issueDate}`, 'dueDate');
      if (input.journalEntryId && !journals.has(input.journalEntryId)) {
        throw appError('NOT_FOUND', `JournalEntry ${input.journalEntryId} does not exist`, {
          type: 'JournalEntry',
          id: input.journalEntryId,
          field: 'journalEntryId',
        });
      }
      return {
        id: newId('rcv'),
        invoice_id: input.invoiceId.trim(),
        invoice_number: invoiceNumber,
        customer_id: customerId,
        legal_entity_id: input.legalEntityId,
        project_id: input.projectId ?? null,
        currency: input.currency,
        amount_minor: amount,
        open_minor: amount,
        issue_date: input.issueDate,
        due_date: input.dueDate,
        status: 'OPEN' as const,
        journal_entry_id: input.journalEntryId ?? null,
      };
    });
    await assertProjectCustomers(
      trx,
      rows.map((r) => ({ projectId: r.project_id, customerId: r.customer_id, field: 'projectId' })),
    );
    await trx
      .insertInto('erp.receivables')
      .values(rows)
      .onConflict((oc) => oc.column('invoice_id').doNothing())
      .execute();
    // Re-read: a receivable opened concurrently for the same invoice wins, and is what the caller gets.
    const all = new Map(
      (await trx.selectFrom('erp.receivables').selectAll().where('invoice_id', '=', anyOf(invoiceIds)).execute()).map((r) => [
        r.invoice_id,
        r,
      ]),
    );
    return invoiceIds.map((id) => all.get(id)!);
  });
}
