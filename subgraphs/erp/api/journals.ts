import type { Kysely, Transaction } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireCurrency, requireDate, requireText } from '../../../lib/validate.ts';
import { findRateOnOrBefore } from '../data/fx-rates.ts';
import { findEntryBySourceKey, findLinesOfEntries, findReversalsOf } from '../data/journals.ts';
import type { ErpDatabase, JournalEntry } from '../data/tables.ts';
import { parseLines, toFunctional, type FunctionalLine, type JournalLineInput } from './journal-lines.ts';
import { resolvePostingPeriod, withNote, type ClosedPeriodPolicy } from './periods.ts';
import { requireLegalEntity } from './validate.ts';

type Trx = Transaction<ErpDatabase>;

export type PostJournalEntryInput = {
  legalEntityId: string;
  date: string;
  sourceType: string;
  sourceId: string;
  memo?: string | null;
  currency: string;
  lines: JournalLineInput[];
};
export type PostingOptions = { closedPeriodPolicy?: ClosedPeriodPolicy | null };

/**
 * Posts a journal entry, all or nothing. Idempotent on (legal entity, source type, source id): posting
 * a source again returns the entry already posted for it, unchanged, without validating the new input.
 * Codes: NOT_FOUND (legal entity, or field `fxRate` when no rate is in force), INVALID_MONEY,
 * UNBALANCED_JOURNAL, UNKNOWN_ACCOUNT, PERIOD_NOT_FOUND, PERIOD_CLOSED. See `toFunctional` for the
 * rounding rule of foreign-currency entries.
 */
export function postJournalEntry(db: Kysely<ErpDatabase>, input: PostJournalEntryInput, options: PostingOptions = {}): Promise<JournalEntry> {
  return inTransaction(db, (trx) => postJournalEntryIn(trx, input, options));
}

/** `postJournalEntry` inside a caller's transaction (payments post their cash journal this way). */
export async function postJournalEntryIn(trx: Trx, input: PostJournalEntryInput, options: PostingOptions = {}): Promise<JournalEntry> {
  const le = await requireLegalEntity(trx, input.legalEntityId);
  const sourceType = requireText(input.sourceType, 'sourceType');
  const sourceId = requireText(input.sourceId, 'sourceId');
  const existing = await findEntryBySourceKey(trx, le.id, sourceType, sourceId);
  if (existing) return existing;
  requireDate(input.date, 'date');
  requireCurrency(input.currency);
  const lines = parseLines(input.lines, input.currency);
  await requireAccounts(trx, le.id, lines.map((l) => l.accountCode));
  const target = await resolvePostingPeriod(trx, le.id, input.date, options.closedPeriodPolicy ?? 'FAIL');
  const rate = input.currency === le.functional_currency ? '1' : await rateInForce(trx, input.currency, le.functional_currency, target.date);
  return insertEntry(trx, {
    id: newId('je'),
    legal_entity_id: le.id,
    entry_date: target.date,
    period_id: target.period.id,
    source_type: sourceType,
    source_id: sourceId,
    memo: withNote(input.memo, target.note),
    currency: input.currency,
    functional_currency: le.functional_currency,
    fx_rate: rate,
    reverses_id: null,
  }, toFunctional(lines, input.currency, le.functional_currency, rate));
}

/**
 * Posts the mirror image of an entry (debits and credits swapped, `reverses_id` set) on `date`.
 * Functional amounts are the original's, not reconverted, so the pair nets to zero in both
 * currencies. Idempotent on its own source; an entry can be reversed once (INVALID_STATE_TRANSITION).
 */
export function reverseJournalEntry(
  db: Kysely<ErpDatabase>,
  entryId: string,
  date: string,
  sourceType: string,
  sourceId: string,
  options: PostingOptions = {},
): Promise<JournalEntry> {
  return inTransaction(db, async (trx) => {
    // The lock makes two concurrent reversals of one entry queue up, so only one succeeds.
    const original = await trx.selectFrom('erp.journal_entries').selectAll().where('id', '=', entryId).forUpdate().executeTakeFirst();
    if (!original) throw notFound('JournalEntry', entryId);
    const type = requireText(sourceType, 'sourceType');
    const id = requireText(sourceId, 'sourceId');
    const existing = await findEntryBySourceKey(trx, original.legal_entity_id, type, id);
    if (existing) return existing;
    const [reversal] = await findReversalsOf(trx, [entryId]);
    if (reversal) {
      throw appError('INVALID_STATE_TRANSITION', `Journal entry ${entryId} is already reversed by ${reversal.id}`, { field: 'entryId', reversedBy: reversal.id });
    }
    requireDate(date, 'date');
    const target = await resolvePostingPeriod(trx, original.legal_entity_id, date, options.closedPeriodPolicy ?? 'FAIL');
    const lines: FunctionalLine[] = (await findLinesOfEntries(trx, [entryId])).map((l) => ({
      accountCode: l.account_code,
      debit: l.credit_minor,
      credit: l.debit_minor,
      functionalDebit: l.functional_credit_minor,
      functionalCredit: l.functional_debit_minor,
      customerId: l.customer_id,
      projectId: l.project_id,
      serviceLine: l.service_line,
      // Kept, so a source line's ledger trail shows its posting and its reversal.
      sourceLineType: l.source_line_type,
      sourceLineId: l.source_line_id,
    }));
    return insertEntry(trx, {
      id: newId('je'),
      legal_entity_id: original.legal_entity_id,
      entry_date: target.date,
      period_id: target.period.id,
      source_type: type,
      source_id: id,
      memo: withNote(`Reversal of ${original.id}${original.memo ? ` (${original.memo})` : ''}`, target.note),
      currency: original.currency,
      functional_currency: original.functional_currency,
      fx_rate: original.fx_rate,
      reverses_id: original.id,
    }, lines);
  });
}

async function requireAccounts(trx: Trx, legalEntityId: string, codes: string[]): Promise<void> {
  const known = new Set(
    (await trx.selectFrom('erp.accounts').select('code').where('legal_entity_id', '=', legalEntityId).where('code', 'in', [...new Set(codes)]).execute()).map((a) => a.code),
  );
  const i = codes.findIndex((c) => !known.has(c));
  if (i >= 0) {
    throw appError('UNKNOWN_ACCOUNT', `Account ${JSON.stringify(codes[i])} is not in the chart of accounts of legal entity ${legalEntityId}`, { field: `lines[${i}].accountCode`, accountCode: codes[i] });
  }
}

async function rateInForce(trx: Trx, from: string, to: string, date: string): Promise<string> {
  const rate = await findRateOnOrBefore(trx, from, to, date);
  if (!rate) throw appError('NOT_FOUND', `No ${from}->${to} FX rate on or before ${date}`, { field: 'fxRate', from, to, date });
  return rate.rate;
}

type EntryHeader = Omit<JournalEntry, 'posted_at' | 'fx_rate'> & { fx_rate: string };

async function insertEntry(trx: Trx, header: EntryHeader, lines: FunctionalLine[]): Promise<JournalEntry> {
  const entry = await trx
    .insertInto('erp.journal_entries')
    .values(header)
    .onConflict((oc) => oc.columns(['legal_entity_id', 'source_type', 'source_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  // A concurrent post of the same source committed first: idempotency means returning its entry.
  if (!entry) return (await findEntryBySourceKey(trx, header.legal_entity_id, header.source_type, header.source_id))!;
  await trx
    .insertInto('erp.journal_lines')
    .values(
      lines.map((l, i) => ({
        id: newId('jl'),
        journal_entry_id: entry.id,
        line_no: i + 1,
        legal_entity_id: entry.legal_entity_id,
        account_code: l.accountCode,
        debit_minor: l.debit,
        credit_minor: l.credit,
        functional_debit_minor: l.functionalDebit,
        functional_credit_minor: l.functionalCredit,
        customer_id: l.customerId,
        project_id: l.projectId,
        service_line: l.serviceLine,
        source_line_type: l.sourceLineType,
        source_line_id: l.sourceLineId,
      })),
    )
    .execute();
  return entry;
}
