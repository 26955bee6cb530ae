import { sql } from 'kysely';
import type { Db } from './db.ts';

export type ArBalance = { entry: number; functional: number };

/**
 * The AR account's balance of one invoice, in the entry currency and the functional currency. Every
 * line the erp posts to AR names the invoice it moves (source line INVOICE), so this is the ledger's
 * own view of the receivable: a payment that settles it relieves exactly what is left here, and a
 * foreign invoice paid in full leaves nothing behind on AR.
 */
export async function arBalanceOfInvoice(db: Db, legalEntityId: string, arAccount: string, invoiceId: string): Promise<ArBalance> {
  const r = await sql<{ entry: number; functional: number }>`
    select coalesce(sum(debit_minor - credit_minor), 0)::bigint as entry,
           coalesce(sum(functional_debit_minor - functional_credit_minor), 0)::bigint as functional
      from erp.journal_lines
     where source_line_type = 'INVOICE' and source_line_id = ${invoiceId}
       and legal_entity_id = ${legalEntityId} and account_code = ${arAccount}`.execute(db);
  const row = r.rows[0];
  return { entry: Number(row?.entry ?? 0), functional: Number(row?.functional ?? 0) };
}
