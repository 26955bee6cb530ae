import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

// Billing owns invoices, their lines and credit memos; the erp adds their ledger trail by source id.

export const InvoiceResolvers: gql.InvoiceResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  journalEntry: (i, _, ctx) => load.entryOfInvoice(ctx).load(i.id),
  receivable: (i, _, ctx) => load.receivableOfInvoice(ctx).load(i.id),
};

export const InvoiceLineResolvers: gql.InvoiceLineResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  journalLines: (l, _, ctx) => load.linesOfInvoiceLine(ctx).load(l.id),
};

export const CreditMemoResolvers: gql.CreditMemoResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  journalEntry: (m, _, ctx) => load.entryOfCreditMemo(ctx).load(m.id),
};
