/** What the billing resolvers hand to GraphQL types that are not one table row; codegen.ts maps the types here. */
import type { Connection } from '../../../lib/pagination.ts';
import type { BillableItem, CreditMemo, Invoice, InvoicePayment } from '../data/tables.ts';

/** A payment listed under its invoice carries the invoice's currency. */
export type InvoicePaymentModel = InvoicePayment & { currency: string };

export type InvoiceConnectionModel = Connection<Invoice>;
export type BillableItemConnectionModel = Connection<BillableItem>;
export type CreditMemoConnectionModel = Connection<CreditMemo>;
