import { type ErpContext, load } from '../context.ts';

type Ref = { id: string };

// Billing owns invoices, their lines and credit memos; the erp adds their ledger trail by source id.

export const InvoiceResolvers = {
  __resolveReference: (ref: Ref) => ({ id: ref.id }),
  journalEntry: (i: Ref, _: unknown, ctx: ErpContext) => load.entryOfInvoice(ctx).load(i.id),
  receivable: (i: Ref, _: unknown, ctx: ErpContext) => load.receivableOfInvoice(ctx).load(i.id),
};

export const InvoiceLineResolvers = {
  __resolveReference: (ref: Ref) => ({ id: ref.id }),
  journalLines: (l: Ref, _: unknown, ctx: ErpContext) => load.linesOfInvoiceLine(ctx).load(l.id),
};

export const CreditMemoResolvers = {
  __resolveReference: (ref: Ref) => ({ id: ref.id }),
  journalEntry: (m: Ref, _: unknown, ctx: ErpContext) => load.entryOfCreditMemo(ctx).load(m.id),
};
