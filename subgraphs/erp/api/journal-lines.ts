import { appError } from '../../../lib/errors.ts';
import { convertMoney, parseMoney } from '../../../lib/money.ts';

/** One line as callers send it: amounts are decimal strings in the entry currency. */
export type JournalLineInput = {
  accountCode: string;
  debit?: string | null;
  credit?: string | null;
  customerId?: string | null;
  projectId?: string | null;
  serviceLine?: string | null;
  sourceLineType?: string | null;
  sourceLineId?: string | null;
};

export type ParsedLine = {
  accountCode: string;
  debit: number;
  credit: number;
  customerId: string | null;
  projectId: string | null;
  serviceLine: string | null;
  sourceLineType: string | null;
  sourceLineId: string | null;
};

export type FunctionalLine = ParsedLine & { functionalDebit: number; functionalCredit: number };

function amountOf(value: string | null | undefined, currency: string, field: string): number {
  if (value == null || value.trim() === '') return 0;
  const minor = parseMoney(value, currency, field);
  if (minor < 0) throw appError('INVALID_MONEY', `${field} must not be negative; put the amount on the other side instead`, { field });
  return minor;
}

/**
 * Parses the lines and enforces double entry before anything is written: each line has exactly one
 * of debit or credit above zero, and the debits equal the credits (UNBALANCED_JOURNAL otherwise).
 * The deferred trigger on erp.journal_lines enforces the same at commit, as a backstop.
 */
export function parseLines(lines: readonly JournalLineInput[], currency: string): ParsedLine[] {
  if (lines.length < 2)
    throw appError('UNBALANCED_JOURNAL', 'A journal entry needs at least one debit line and one credit line', { field: 'lines' });
  const parsed = lines.map((l, i) => {
    const debit = amountOf(l.debit, currency, `lines[${i}].debit`);
    const credit = amountOf(l.credit, currency, `lines[${i}].credit`);
    if (debit > 0 === credit > 0) {
      throw appError('UNBALANCED_JOURNAL', `Line ${i + 1} must have exactly one of debit or credit above zero`, { field: `lines[${i}]` });
    }
    return {
      accountCode: l.accountCode?.trim() ?? '',
      debit,
      credit,
      customerId: l.customerId ?? null,
      projectId: l.projectId ?? null,
      serviceLine: l.serviceLine ?? null,
      sourceLineType: l.sourceLineType ?? null,
      sourceLineId: l.sourceLineId ?? null,
    };
  });
  const debits = parsed.reduce((s, l) => s + BigInt(l.debit), 0n);
  const credits = parsed.reduce((s, l) => s + BigInt(l.credit), 0n);
  if (debits !== credits) {
    throw appError('UNBALANCED_JOURNAL', `Debits (${debits}) and credits (${credits}) differ, in minor units of ${currency}`, {
      field: 'lines',
      debits: String(debits),
      credits: String(credits),
    });
  }
  return parsed;
}

/**
 * Adds functional-currency amounts. Each line converts on its own (rounded half up), so the converted
 * debits and credits can differ by a few minor units. That difference is conversion rounding: it goes
 * to its own functional-only line on `roundingAccount` (the mapping's), never onto a line of the
 * entry, so AR carries exactly the converted total and a payment of it at the same rate clears it.
 */
export function toFunctional(
  lines: readonly ParsedLine[],
  from: string,
  to: string,
  rate: string,
  roundingAccount: string,
): FunctionalLine[] {
  if (from === to) return lines.map((l) => ({ ...l, functionalDebit: l.debit, functionalCredit: l.credit }));
  const out = lines.map((l) => ({
    ...l,
    functionalDebit: l.debit > 0 ? convertMoney(l.debit, from, to, rate) : 0,
    functionalCredit: l.credit > 0 ? convertMoney(l.credit, from, to, rate) : 0,
  }));
  const diff = out.reduce((s, l) => s + l.functionalDebit - l.functionalCredit, 0);
  if (diff !== 0) {
    // The rounding belongs to the document: it carries the dimensions of the entry's largest line.
    const largest = out.reduce((a, l) => (l.debit + l.credit > a.debit + a.credit ? l : a), out[0]!);
    out.push({
      accountCode: roundingAccount,
      debit: 0,
      credit: 0,
      functionalDebit: Math.max(-diff, 0),
      functionalCredit: Math.max(diff, 0),
      customerId: largest.customerId,
      projectId: largest.projectId,
      serviceLine: null,
      sourceLineType: 'ROUNDING',
      sourceLineId: null,
    });
  }
  return out;
}
