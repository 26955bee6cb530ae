/** What the erp resolvers hand to GraphQL types that are not one table row; codegen.ts maps the types here. */
import type { Connection } from '../../../lib/pagination.ts';
import type { JournalEntry, JournalLine, Receivable } from '../data/tables.ts';

/** Lines carry no currency; listed under their entry they get its currencies, on their own they load it. */
export type JournalLineModel = JournalLine & { currency?: string; functional_currency?: string };

export type JournalEntryConnectionModel = Connection<JournalEntry>;
export type ReceivableConnectionModel = Connection<Receivable>;
