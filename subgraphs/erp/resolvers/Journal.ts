import { loadRequired } from '../../../lib/loaders.ts';
import { money } from '../../../lib/money.ts';
import { type ErpContext, load } from '../context.ts';
import { accountKey } from '../data/db.ts';
import type { JournalLineModel } from './models.ts';
import type * as gql from './types.generated.ts';

const ZERO_TOTALS = { debit_minor: 0, credit_minor: 0, functional_debit_minor: 0, functional_credit_minor: 0 };

async function currenciesOf(l: JournalLineModel, ctx: ErpContext): Promise<{ currency: string; functional: string }> {
  if (l.currency && l.functional_currency) return { currency: l.currency, functional: l.functional_currency };
  const e = await loadRequired(load.entry(ctx), l.journal_entry_id, 'JournalEntry');
  return { currency: e.currency, functional: e.functional_currency };
}

export const JournalEntryResolvers: gql.JournalEntryResolvers = {
  __resolveReference: (ref, ctx) => load.entry(ctx).load(ref.id),
  legalEntity: (e, _, ctx) => loadRequired(load.legalEntity(ctx), e.legal_entity_id, 'LegalEntity'),
  date: (e) => e.entry_date,
  period: (e, _, ctx) => loadRequired(load.period(ctx), e.period_id, 'Period'),
  source: (e) => ({ type: e.source_type, id: e.source_id }),
  functionalCurrency: (e) => e.functional_currency,
  fxRate: (e) => e.fx_rate,
  reverses: (e, _, ctx) => (e.reverses_id ? load.entry(ctx).load(e.reverses_id) : null),
  reversedBy: (e, _, ctx) => load.reversalOf(ctx).load(e.id),
  postedAt: (e) => e.posted_at,
  lines: async (e, _, ctx) =>
    (await load.linesOfEntry(ctx).load(e.id)).map((l) => ({
      ...l,
      currency: e.currency,
      functional_currency: e.functional_currency,
    })),
  totals: async (e, _, ctx) => {
    const t = (await load.entryTotals(ctx).load(e.id)) ?? ZERO_TOTALS;
    return {
      debit: money(t.debit_minor, e.currency),
      credit: money(t.credit_minor, e.currency),
      functionalDebit: money(t.functional_debit_minor, e.functional_currency),
      functionalCredit: money(t.functional_credit_minor, e.functional_currency),
    };
  },
};

export const JournalLineResolvers: gql.JournalLineResolvers = {
  __resolveReference: (ref, ctx) => load.line(ctx).load(ref.id),
  entry: (l, _, ctx) => loadRequired(load.entry(ctx), l.journal_entry_id, 'JournalEntry'),
  lineNumber: (l) => l.line_no,
  account: (l, _, ctx) => loadRequired(load.account(ctx), accountKey(l.legal_entity_id, l.account_code), 'Account'),
  debit: async (l, _, ctx) => money(l.debit_minor, (await currenciesOf(l, ctx)).currency),
  credit: async (l, _, ctx) => money(l.credit_minor, (await currenciesOf(l, ctx)).currency),
  functionalDebit: async (l, _, ctx) => money(l.functional_debit_minor, (await currenciesOf(l, ctx)).functional),
  functionalCredit: async (l, _, ctx) => money(l.functional_credit_minor, (await currenciesOf(l, ctx)).functional),
  customer: (l) => (l.customer_id ? { id: l.customer_id } : null),
  project: (l) => (l.project_id ? { id: l.project_id } : null),
  serviceLine: (l) => l.service_line,
  sourceLine: (l) => (l.source_line_type && l.source_line_id ? { type: l.source_line_type, id: l.source_line_id } : null),
  // A reference only: billing resolves the line (and answers null for an id it does not know).
  invoiceLine: (l) => (l.source_line_type === 'INVOICE_LINE' && l.source_line_id ? { id: l.source_line_id } : null),
};
