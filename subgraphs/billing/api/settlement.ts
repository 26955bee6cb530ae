import type { Transaction } from 'kysely';
import { settle } from '../../../lib/settlement.ts';
import type { BillingDatabase, Invoice, InvoiceStatus } from '../data/tables.ts';

type Trx = Transaction<BillingDatabase>;

export type InvoiceFacts = { credited: number; received: number; writeOffs: number };

/**
 * Billing's copy of an invoice's balance, settled from its facts by the same rule as the erp's
 * receivable (lib/settlement.ts), so the two agree whatever order the facts reach each system in:
 * a credit memo issued here while the erp was recording a payment ends, in both, with the cash held
 * as the customer's credit. Runs under the invoice's row lock, in the caller's transaction.
 */
export async function storeSettlement(trx: Trx, invoice: Invoice, facts: InvoiceFacts): Promise<Invoice> {
  const s = settle({ total: invoice.total_minor, ...facts });
  const status: InvoiceStatus = s.status === 'OPEN' ? 'ISSUED' : s.status;
  return trx
    .updateTable('billing.invoices')
    .set({
      credited_minor: facts.credited,
      received_minor: facts.received,
      write_offs_minor: facts.writeOffs,
      paid_minor: s.paid,
      written_off_minor: s.writtenOff,
      status,
    })
    .where('id', '=', invoice.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export const factsOf = (i: Invoice): InvoiceFacts => ({
  credited: i.credited_minor,
  received: i.received_minor,
  writeOffs: i.write_offs_minor,
});

/** What is still owed on an issued invoice; nothing on a draft or a void one. */
export const openMinorOf = (i: Invoice): number =>
  i.status === 'DRAFT' || i.status === 'VOID' ? 0 : i.total_minor - i.credited_minor - i.paid_minor - i.written_off_minor;
