import { money } from '../../../lib/money.ts';
import type { ErpContext } from '../context.ts';
import { findLegalEntity, findPeriodByCode } from '../data/ledger.ts';
import { trialBalanceRows } from '../data/reports.ts';

/** The trial balance of one period; null when the legal entity or the period does not exist. */
export async function trialBalance(ctx: ErpContext, legalEntityId: string, periodCode: string) {
  const le = await findLegalEntity(ctx.db, legalEntityId);
  const period = le && (await findPeriodByCode(ctx.db, le.id, periodCode));
  if (!le || !period) return null;
  const currency = le.functional_currency;
  const rows = await trialBalanceRows(ctx.db, period.id);
  let debit = 0n;
  let credit = 0n;
  for (const r of rows) {
    debit += BigInt(r.debit_minor);
    credit += BigInt(r.credit_minor);
  }
  return {
    legalEntity: le,
    period,
    rows: rows.map((r) => ({
      account: { legal_entity_id: r.legal_entity_id, code: r.code, name: r.name, type: r.type },
      debit: money(r.debit_minor, currency),
      credit: money(r.credit_minor, currency),
      balance: money(BigInt(r.debit_minor) - BigInt(r.credit_minor), currency),
    })),
    totalDebit: money(debit, currency),
    totalCredit: money(credit, currency),
  };
}
