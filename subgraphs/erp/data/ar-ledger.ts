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

export type OpenForeignReceivable = {
  invoice_id: string;
  customer_id: string;
  project_id: string | null;
  currency: string;
  open_minor: number;
  /** What AR carries for it in the functional currency. */
  carried_minor: number;
};

/** A legal entity's receivables still open in a currency other than its functional one, with what AR carries for each. */
export async function openForeignReceivables(
  db: Db,
  legalEntityId: string,
  functionalCurrency: string,
  arAccount: string,
): Promise<OpenForeignReceivable[]> {
  const r = await sql<OpenForeignReceivable>`
    select r.invoice_id, r.customer_id, r.project_id, r.currency, r.open_minor,
           coalesce((select sum(l.functional_debit_minor - l.functional_credit_minor) from erp.journal_lines l
                      where l.source_line_type = 'INVOICE' and l.source_line_id = r.invoice_id
                        and l.legal_entity_id = r.legal_entity_id and l.account_code = ${arAccount}), 0)::bigint as carried_minor
      from erp.receivables r
     where r.legal_entity_id = ${legalEntityId} and r.currency <> ${functionalCurrency} and r.open_minor > 0
     order by r.currency, r.invoice_id`.execute(db);
  return r.rows;
}
