import { money } from '../../../lib/money.ts';
import type { ErpContext } from '../context.ts';
import { findLegalEntity, findPeriodByCode } from '../data/ledger.ts';
import { cumulativeTrialBalanceRows, trialBalanceRows } from '../data/reports.ts';

/** The first day of the fiscal year that contains `date`, for a fiscal year starting in `startMonth`. */
export function fiscalYearStart(date: string, startMonth: number): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const y = month >= startMonth ? year : year - 1;
  return `${y}-${String(startMonth).padStart(2, '0')}-01`;
}

/**
 * The trial balance of one period; null when the legal entity or the period does not exist. By
 * default one row per account with postings in the period, opening at zero. Cumulative: every account
 * with an opening balance or postings; balance-sheet accounts carry forward, income-statement
 * accounts open with their fiscal year to date, earlier years' results open on retained earnings
 * (mapping: money.fiscalYearStartMonth, accounts.retainedEarnings).
 */
export async function trialBalance(ctx: ErpContext, legalEntityId: string, periodCode: string, cumulative = false) {
  const le = await findLegalEntity(ctx.db, legalEntityId);
  const period = le && (await findPeriodByCode(ctx.db, le.id, periodCode));
  if (!le || !period) return null;
  const currency = le.functional_currency;
  const rows = cumulative
    ? await cumulativeTrialBalanceRows(
        ctx.db,
        le.id,
        period.start_date,
        period.end_date,
        fiscalYearStart(period.start_date, ctx.mapping.money.fiscalYearStartMonth),
        ctx.mapping.legalEntities[le.id]?.accounts.retainedEarnings ?? '3000',
      )
    : (await trialBalanceRows(ctx.db, period.id)).map((r) => ({ ...r, opening_minor: 0 }));
  let debit = 0n;
  let credit = 0n;
  let opening = 0n;
  for (const r of rows) {
    debit += BigInt(r.debit_minor);
    credit += BigInt(r.credit_minor);
    opening += BigInt(r.opening_minor);
  }
  return {
    legalEntity: le,
    period,
    rows: rows.map((r) => ({
      account: { legal_entity_id: r.legal_entity_id, code: r.code, name: r.name, type: r.type },
      opening: money(r.opening_minor, currency),
      debit: money(r.debit_minor, currency),
      credit: money(r.credit_minor, currency),
      balance: money(BigInt(r.debit_minor) - BigInt(r.credit_minor), currency),
      closing: money(BigInt(r.opening_minor) + BigInt(r.debit_minor) - BigInt(r.credit_minor), currency),
    })),
    totalDebit: money(debit, currency),
    totalCredit: money(credit, currency),
    totalOpening: money(opening, currency),
    totalClosing: money(opening + debit - credit, currency),
  };
}
