import type { Kysely, Transaction } from 'kysely';
import { anyOf, inTransaction } from '../../../lib/db.ts';
import { appError, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { type LedgerPolicy, ledgerPolicy } from '../../../lib/ledger-policy.ts';
import { defaultMapping } from '../../../lib/mapping.ts';
import { requireCurrency, requireDate, requireText } from '../../../lib/validate.ts';
import type { Db } from '../data/db.ts';
import { findRateOnOrBefore } from '../data/fx-rates.ts';
import { findEntriesBySourceKeys, findEntryBySourceKey, findLinesOfEntries, findReversalsOf } from '../data/journals.ts';
import { findLegalEntitiesByIds } from '../data/ledger.ts';
import type { ErpDatabase, JournalEntry } from '../data/tables.ts';
import { type FunctionalLine, type JournalLineInput, parseLines, toFunctional } from './journal-lines.ts';
import { type ClosedPeriodPolicy, type PostingTarget, resolvePostingPeriod, withNote } from './periods.ts';
import { assertProjectCustomers } from './project-customers.ts';
import { legalEntityNotFound } from './validate.ts';

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
/**
 * How to post. `policy` (accounts and period rules from the mapping) defaults to the process's
 * mapping. A manual entry keeps explicit periods: it opens none and fails on a closed one unless
 * told otherwise; flows and the erp's own postings pass the mapping's rules (`autoOpen`, policy).
 */
export type PostingOptions = { closedPeriodPolicy?: ClosedPeriodPolicy | null; autoOpen?: boolean; policy?: LedgerPolicy };

const policyOf = (options: PostingOptions) => options.policy ?? ledgerPolicy(defaultMapping());
const rulesOf = (options: PostingOptions) => ({
  closedPeriodPolicy: options.closedPeriodPolicy ?? 'FAIL',
  autoOpen: options.autoOpen ?? false,
});

/**
 * Posts a journal entry, all or nothing. Idempotent on (legal entity, source type, source id): posting
 * a source again returns the entry already posted for it, unchanged, without validating the new input.
 * Codes: NOT_FOUND (legal entity, or field `fxRate` when no rate is in force, or a foreign entry of a
 * legal entity the mapping has no rounding account for), INVALID_MONEY, UNBALANCED_JOURNAL,
 * UNKNOWN_ACCOUNT, PERIOD_NOT_FOUND, PERIOD_CLOSED, CUSTOMER_MISMATCH (a line names a project
 * the erp knows under another customer). See `toFunctional` for the rounding rule of
 * foreign-currency entries.
 */
export function postJournalEntry(
  db: Kysely<ErpDatabase>,
  input: PostJournalEntryInput,
  options: PostingOptions = {},
): Promise<JournalEntry> {
  return inTransaction(db, (trx) => postJournalEntryIn(trx, input, options));
}

/** `postJournalEntry` for many entries at once, all or nothing; see `postJournalEntriesIn`. */
export function postJournalEntries(
  db: Kysely<ErpDatabase>,
  inputs: readonly PostJournalEntryInput[],
  options: PostingOptions = {},
): Promise<JournalEntry[]> {
  return inTransaction(db, (trx) => postJournalEntriesIn(trx, inputs, options));
}

/** `postJournalEntry` inside a caller's transaction (payments post their cash journal this way). */
export async function postJournalEntryIn(trx: Trx, input: PostJournalEntryInput, options: PostingOptions = {}): Promise<JournalEntry> {
  return (await postJournalEntriesIn(trx, [input], options))[0]!;
}

const sourceKey = (legalEntityId: string, sourceType: string, sourceId: string) => JSON.stringify([legalEntityId, sourceType, sourceId]);

/**
 * `postJournalEntry` for many entries in a fixed number of statements (plus one per distinct posting
 * date and FX pair), for set-based sync flows. The same rules, checked entry by entry in input order,
 * so the first invalid entry's error is the one thrown and nothing is written. Results are in input
 * order; an entry whose source was posted before comes back unchanged.
 */
export async function postJournalEntriesIn(
  trx: Trx,
  inputs: readonly PostJournalEntryInput[],
  options: PostingOptions = {},
): Promise<JournalEntry[]> {
  if (inputs.length === 0) return [];
  const les = new Map((await findLegalEntitiesByIds(trx, [...new Set(inputs.map((i) => i.legalEntityId))])).map((l) => [l.id, l]));
  const keyed = inputs.map((input) => {
    const le = les.get(input.legalEntityId);
    if (!le) throw legalEntityNotFound(input.legalEntityId);
    const sourceType = requireText(input.sourceType, 'sourceType');
    const sourceId = requireText(input.sourceId, 'sourceId');
    return { input, le, sourceType, sourceId, key: sourceKey(le.id, sourceType, sourceId) };
  });
  const posted = new Map(
    (
      await findEntriesBySourceKeys(
        trx,
        keyed.map((k) => ({ legalEntityId: k.le.id, sourceType: k.sourceType, sourceId: k.sourceId })),
      )
    ).map((e) => [sourceKey(e.legal_entity_id, e.source_type, e.source_id), e]),
  );
  const todo = [...new Map(keyed.filter((k) => !posted.has(k.key)).map((k) => [k.key, k])).values()];
  const parsed = todo.map((k) => {
    requireDate(k.input.date, 'date');
    requireCurrency(k.input.currency);
    return { ...k, lines: parseLines(k.input.lines, k.input.currency) };
  });
  const policy = policyOf(options);
  // A foreign entry whose conversion rounds needs the entity's rounding account: resolved up front,
  // so an unmapped entity fails before anything is written.
  const rounding = new Map(
    parsed.filter((p) => p.input.currency !== p.le.functional_currency).map((p) => [p.le.id, policy.accounts(p.le.id).rounding]),
  );
  await requireAccounts(
    trx,
    parsed.map((p) => ({
      legalEntityId: p.le.id,
      codes: [...p.lines.map((l) => l.accountCode), ...(rounding.has(p.le.id) ? [rounding.get(p.le.id)!] : [])],
    })),
  );
  await assertProjectCustomers(
    trx,
    parsed.flatMap((p) => p.lines.map((l, i) => ({ projectId: l.projectId, customerId: l.customerId, field: `lines[${i}].projectId` }))),
  );
  // Periods are resolved (and opened) in one order for every batch: two batches opening the same
  // new months in different orders each waited for the other's insert, and PostgreSQL aborted one
  // as a deadlock (seen in the sync benchmark).
  const targets = new Map<string, PostingTarget>();
  for (const key of [...new Set(parsed.map((p) => `${p.le.id}|${p.input.date}`))].sort()) {
    const [le, date] = key.split('|') as [string, string];
    targets.set(key, await resolvePostingPeriod(trx, le, date, rulesOf(options)));
  }
  const rates = new Map<string, Promise<string>>();
  const rows: { header: EntryHeader; lines: FunctionalLine[] }[] = [];
  for (const p of parsed) {
    const target = targets.get(`${p.le.id}|${p.input.date}`)!;
    let rate = '1';
    if (p.input.currency !== p.le.functional_currency) {
      const rateKey = `${p.input.currency}|${p.le.functional_currency}|${target.date}`;
      if (!rates.has(rateKey)) rates.set(rateKey, rateInForce(trx, p.input.currency, p.le.functional_currency, target.date));
      rate = await rates.get(rateKey)!;
    }
    rows.push({
      header: {
        id: newId('je'),
        legal_entity_id: p.le.id,
        entry_date: target.date,
        period_id: target.period.id,
        source_type: p.sourceType,
        source_id: p.sourceId,
        memo: withNote(p.input.memo, target.note),
        currency: p.input.currency,
        functional_currency: p.le.functional_currency,
        fx_rate: rate,
        reverses_id: null,
      },
      // The rounding line traces back to the document the entry posts.
      lines: toFunctional(p.lines, p.input.currency, p.le.functional_currency, rate, rounding.get(p.le.id) ?? '').map((l) =>
        l.sourceLineType === 'ROUNDING' ? { ...l, sourceLineId: p.sourceId } : l,
      ),
    });
  }
  for (const e of await insertEntries(trx, rows)) posted.set(sourceKey(e.legal_entity_id, e.source_type, e.source_id), e);
  return keyed.map((k) => posted.get(k.key)!);
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
      throw appError('INVALID_STATE_TRANSITION', `Journal entry ${entryId} is already reversed by ${reversal.id}`, {
        field: 'entryId',
        reversedBy: reversal.id,
      });
    }
    requireDate(date, 'date');
    const target = await resolvePostingPeriod(trx, original.legal_entity_id, date, rulesOf(options));
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
    return insertEntry(
      trx,
      {
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
      },
      lines,
    );
  });
}

async function requireAccounts(trx: Trx, entries: readonly { legalEntityId: string; codes: string[] }[]): Promise<void> {
  if (entries.length === 0) return;
  const known = new Set(
    (
      await trx
        .selectFrom('erp.accounts')
        .select(['legal_entity_id', 'code'])
        .where('legal_entity_id', '=', anyOf(new Set(entries.map((e) => e.legalEntityId))))
        .where('code', '=', anyOf(new Set(entries.flatMap((e) => e.codes))))
        .execute()
    ).map((a) => `${a.legal_entity_id}|${a.code}`),
  );
  for (const { legalEntityId, codes } of entries) {
    const i = codes.findIndex((c) => !known.has(`${legalEntityId}|${c}`));
    if (i >= 0) {
      throw appError(
        'UNKNOWN_ACCOUNT',
        `Account ${JSON.stringify(codes[i])} is not in the chart of accounts of legal entity ${legalEntityId}`,
        { field: `lines[${i}].accountCode`, accountCode: codes[i] },
      );
    }
  }
}

/** The FX rate in force on `date` (the latest published on or before it); NOT_FOUND with field fxRate when none is. */
export async function rateInForce(db: Db, from: string, to: string, date: string): Promise<string> {
  const rate = await findRateOnOrBefore(db, from, to, date);
  if (!rate) throw appError('NOT_FOUND', `No ${from}->${to} FX rate on or before ${date}`, { field: 'fxRate', from, to, date });
  return rate.rate;
}

type EntryHeader = Omit<JournalEntry, 'posted_at' | 'fx_rate'> & { fx_rate: string };

export type ComputedEntryInput = {
  legalEntityId: string;
  date: string;
  sourceType: string;
  sourceId: string;
  memo: string;
  currency: string;
  /** The rate the entry's own side converted at (for the header; each line carries its functional amounts). */
  fxRate: string;
};

/**
 * Posts an entry the erp computed itself (a payment, a credit memo, a write-off, a refund): its
 * lines carry their functional amounts, converted at the rates the rules call for, and may include
 * functional-only lines (realized FX, rounding). Periods follow the mapping's rules. The lines must
 * balance in both currencies (UNBALANCED_JOURNAL; the deferred trigger checks again at commit).
 */
export async function postComputedEntryIn(
  trx: Trx,
  input: ComputedEntryInput,
  lines: FunctionalLine[],
  policy: LedgerPolicy,
): Promise<JournalEntry> {
  const sums = lines.reduce(
    (s, l) => ({ d: s.d + l.debit, c: s.c + l.credit, fd: s.fd + l.functionalDebit, fc: s.fc + l.functionalCredit }),
    { d: 0, c: 0, fd: 0, fc: 0 },
  );
  if (lines.length < 2 || sums.d !== sums.c || sums.fd !== sums.fc)
    throw appError('UNBALANCED_JOURNAL', `The ${input.sourceType} entry ${input.sourceId} does not balance`, { field: 'lines' });
  const [le] = await findLegalEntitiesByIds(trx, [input.legalEntityId]);
  if (!le) throw legalEntityNotFound(input.legalEntityId);
  await requireAccounts(trx, [{ legalEntityId: le.id, codes: lines.map((l) => l.accountCode) }]);
  const target = await resolvePostingPeriod(trx, le.id, input.date, {
    closedPeriodPolicy: policy.closedPeriodPolicy,
    autoOpen: policy.autoOpenPeriods,
  });
  return insertEntry(
    trx,
    {
      id: newId('je'),
      legal_entity_id: le.id,
      entry_date: target.date,
      period_id: target.period.id,
      source_type: input.sourceType,
      source_id: input.sourceId,
      memo: withNote(input.memo, target.note),
      currency: input.currency,
      functional_currency: le.functional_currency,
      fx_rate: input.fxRate,
      reverses_id: null,
    },
    lines,
  );
}

async function insertEntry(trx: Trx, header: EntryHeader, lines: FunctionalLine[]): Promise<JournalEntry> {
  return (await insertEntries(trx, [{ header, lines }]))[0]!;
}

/** Inserts entries and their lines in two statements; results in input order. */
async function insertEntries(trx: Trx, rows: readonly { header: EntryHeader; lines: FunctionalLine[] }[]): Promise<JournalEntry[]> {
  if (rows.length === 0) return [];
  const inserted = await trx
    .insertInto('erp.journal_entries')
    .values(rows.map((r) => r.header))
    .onConflict((oc) => oc.columns(['legal_entity_id', 'source_type', 'source_id']).doNothing())
    .returningAll()
    .execute();
  const byKey = new Map(inserted.map((e) => [sourceKey(e.legal_entity_id, e.source_type, e.source_id), e]));
  const lines = rows.flatMap((r) => {
    const entry = byKey.get(sourceKey(r.header.legal_entity_id, r.header.source_type, r.header.source_id));
    // Skipped on conflict: its entry (with its lines) was posted concurrently.
    if (!entry || entry.id !== r.header.id) return [];
    return r.lines.map((l, i) => ({
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
    }));
  });
  if (lines.length) await trx.insertInto('erp.journal_lines').values(lines).execute();
  // A concurrent post of the same source committed first: idempotency means returning its entry.
  const missing = rows.filter((r) => !byKey.has(sourceKey(r.header.legal_entity_id, r.header.source_type, r.header.source_id)));
  for (const e of await findEntriesBySourceKeys(
    trx,
    missing.map((r) => ({ legalEntityId: r.header.legal_entity_id, sourceType: r.header.source_type, sourceId: r.header.source_id })),
  )) {
    byKey.set(sourceKey(e.legal_entity_id, e.source_type, e.source_id), e);
  }
  return rows.map((r) => byKey.get(sourceKey(r.header.legal_entity_id, r.header.source_type, r.header.source_id))!);
}
