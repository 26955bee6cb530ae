import { addMonths, at, dayStr, mondayOf, monthCode, monthEnd } from '../dates.ts';
import type { GenContext } from './context.ts';

/**
 * The erp's static setup: legal entities and their chart of accounts from the mapping, monthly periods
 * for the 13 months up to "as of" (older than two months back CLOSED), and weekly FX rates.
 */
export function generateErpSetup(ctx: GenContext): void {
  const { mapping, tables } = ctx;
  for (const [id, le] of Object.entries(mapping.legalEntities)) {
    tables['erp.legal_entities'].push({ id, name: le.name, country: le.country, functional_currency: le.functionalCurrency });
    for (const a of mapping.chartOfAccounts) {
      tables['erp.accounts'].push({ legal_entity_id: id, code: a.code, name: a.name, type: a.type });
    }
    for (let back = 12; back >= 0; back--) {
      const start = addMonths(ctx.asOfDay, -back);
      const end = monthEnd(start);
      const code = monthCode(start);
      const closed = back > 2;
      const row = {
        id: `per_${id}_${code}`,
        legal_entity_id: id,
        code,
        start_date: dayStr(start),
        end_date: dayStr(end),
        status: closed ? ('CLOSED' as const) : ('OPEN' as const),
        // Closed on the fifth of the following month, after the month-end close.
        closed_at: closed ? at(end + 5, 17 * 60) : null,
      };
      tables['erp.periods'].push(row);
      ctx.periods.set(`${id}:${code}`, row);
    }
  }
  generateFxRates(ctx);
}

/** EUR<->USD every Monday from the first period to "as of": a gentle random walk around 1.08. */
function generateFxRates(ctx: GenContext): void {
  const rng = ctx.rng('fx');
  const currencies = [...new Set(Object.values(ctx.mapping.legalEntities).map((l) => l.functionalCurrency))].sort();
  if (!(currencies.includes('EUR') && currencies.includes('USD'))) return;
  // Rates in units of 1e-8, so the walk stays exact integer arithmetic.
  let eurUsd = 108_000_000;
  const first = mondayOf(ctx.firstPeriodDay);
  for (let d = first; d <= ctx.asOfDay; d += 7) {
    eurUsd += rng.int(-600_000, 600_000);
    eurUsd = Math.min(114_000_000, Math.max(103_000_000, eurUsd));
    const usdEur = Math.round(1e16 / eurUsd);
    ctx.tables['erp.fx_rates'].push(
      { from_currency: 'EUR', to_currency: 'USD', rate_date: dayStr(d), rate: scaled8(eurUsd) },
      { from_currency: 'USD', to_currency: 'EUR', rate_date: dayStr(d), rate: scaled8(usdEur) },
    );
  }
}

function scaled8(v: number): string {
  const s = String(v).padStart(9, '0');
  return `${s.slice(0, -8)}.${s.slice(-8)}`;
}
