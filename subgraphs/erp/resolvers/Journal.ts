import { money } from '../../../lib/money.ts';
import { type ErpContext, load } from '../context.ts';
import { accountKey } from '../data/db.ts';
import type { EntryTotalsRow } from '../data/journals.ts';
import type { JournalEntry, JournalLine } from '../data/tables.ts';

const ZERO_TOTALS = { debit_minor: 0, credit_minor: 0, functional_debit_minor: 0, functional_credit_minor: 0 };

/** Entries carry no currency on their lines, so lines are resolved with their entry's currencies. */
type LineWithCurrencies = JournalLine & { currency?: string; functional_currency?: string };

async function currenciesOf(l: LineWithCurrencies, ctx: ErpContext): Promise<{ currency: string; functional: string }> {
  if (l.currency && l.functional_currency) return { currency: l.currency, functional: l.functional_currency };
  const e = (await load.entry(ctx).load(l.journal_entry_id)) as JournalEntry;
  return { currency: e.currency, functional: e.functional_currency };
}

export const JournalEntryResolvers = {
  __resolveReference: (ref: { id: string }, ctx: ErpContext) => load.entry(ctx).load(ref.id),
  legalEntity: (e: JournalEntry, _: unknown, ctx: ErpContext) => load.legalEntity(ctx).load(e.legal_entity_id),
  date: (e: JournalEntry) => e.entry_date,
  period: (e: JournalEntry, _: unknown, ctx: ErpContext) => load.period(ctx).load(e.period_id),
  source: (e: JournalEntry) => ({ type: e.source_type, id: e.source_id }),
  functionalCurrency: (e: JournalEntry) => e.functional_currency,
  fxRate: (e: JournalEntry) => e.fx_rate,
  reverses: (e: JournalEntry, _: unknown, ctx: ErpContext) => (e.reverses_id ? load.entry(ctx).load(e.reverses_id) : null),
  reversedBy: (e: JournalEntry, _: unknown, ctx: ErpContext) => load.reversalOf(ctx).load(e.id),
  postedAt: (e: JournalEntry) => e.posted_at,
  lines: async (e: JournalEntry, _: unknown, ctx: ErpContext) =>
    ((await load.linesOfEntry(ctx).load(e.id)) as JournalLine[]).map((l) => ({
      ...l,
      currency: e.currency,
      functional_currency: e.functional_currency,
    })),
  totals: async (e: JournalEntry, _: unknown, ctx: ErpContext) => {
    const t = ((await load.entryTotals(ctx).load(e.id)) as EntryTotalsRow | undefined) ?? ZERO_TOTALS;
    return {
      debit: money(t.debit_minor, e.currency),
      credit: money(t.credit_minor, e.currency),
      functionalDebit: money(t.functional_debit_minor, e.functional_currency),
      functionalCredit: money(t.functional_credit_minor, e.functional_currency),
    };
  },
};

export const JournalLineResolvers = {
  __resolveReference: (ref: { id: string }, ctx: ErpContext) => load.line(ctx).load(ref.id),
  entry: (l: JournalLine, _: unknown, ctx: ErpContext) => load.entry(ctx).load(l.journal_entry_id),
  lineNumber: (l: JournalLine) => l.line_no,
  account: (l: JournalLine, _: unknown, ctx: ErpContext) => load.account(ctx).load(accountKey(l.legal_entity_id, l.account_code)),
  debit: async (l: LineWithCurrencies, _: unknown, ctx: ErpContext) => money(l.debit_minor, (await currenciesOf(l, ctx)).currency),
  credit: async (l: LineWithCurrencies, _: unknown, ctx: ErpContext) => money(l.credit_minor, (await currenciesOf(l, ctx)).currency),
  functionalDebit: async (l: LineWithCurrencies, _: unknown, ctx: ErpContext) =>
    money(l.functional_debit_minor, (await currenciesOf(l, ctx)).functional),
  functionalCredit: async (l: LineWithCurrencies, _: unknown, ctx: ErpContext) =>
    money(l.functional_credit_minor, (await currenciesOf(l, ctx)).functional),
  customer: (l: JournalLine) => (l.customer_id ? { id: l.customer_id } : null),
  project: (l: JournalLine) => (l.project_id ? { id: l.project_id } : null),
  serviceLine: (l: JournalLine) => l.service_line,
  sourceLine: (l: JournalLine) => (l.source_line_type && l.source_line_id ? { type: l.source_line_type, id: l.source_line_id } : null),
  // A reference only: billing resolves the line (and answers null for an id it does not know).
  invoiceLine: (l: JournalLine) => (l.source_line_type === 'INVOICE_LINE' && l.source_line_id ? { id: l.source_line_id } : null),
};
