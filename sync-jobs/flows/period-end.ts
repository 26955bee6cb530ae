/**
 * Period end of one legal entity (mapping money.periodEnd, docs/money.md), run before the period is
 * closed. Each entry is posted on the period's last day and reversed on the next period's first day,
 * so the next period starts from the invoices' own rates and from billed work only:
 *
 * - revaluation: each open foreign-currency receivable at the period-end rate; the difference to what
 *   AR carries for it goes to the AR revaluation account against unrealized FX. AR itself keeps the
 *   invoices' rates, so a later payment still realizes its FX against the rate it was invoiced at;
 * - WIP accrual: approved, unbilled T&M work (billing's UNBILLED items dated up to the period end) as
 *   revenue on its service line's account against unbilled revenue, one entry per currency.
 *
 * Idempotent: the entries are keyed by legal entity and period, so a replay posts nothing new.
 */
import { ledgerPolicy } from '../../lib/ledger-policy.ts';
import { convertMoney, formatMoney } from '../../lib/money.ts';
import { unbilledWorkOfEntity } from '../../subgraphs/billing/data/items.ts';
import * as erp from '../../subgraphs/erp/api/index.ts';
import { monthBounds } from '../../subgraphs/erp/api/months.ts';
import { openForeignReceivables } from '../../subgraphs/erp/data/ar-ledger.ts';
import { findPeriodByCode } from '../../subgraphs/erp/data/ledger.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow } from '../flow.ts';
import { entityAccounts, postManyWithPolicy, serviceLineAccounts } from './posting.ts';

const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export const periodEnd: Flow = {
  kind: 'PERIOD_END',
  system: 'erp',
  run: async ({ sys, job, mapping }) => {
    const { legalEntityId, periodCode } = job.payload as { legalEntityId: string; periodCode: string };
    const le = await sys.erp.selectFrom('erp.legal_entities').selectAll().where('id', '=', legalEntityId).executeTakeFirst();
    if (!le) throw new BusinessRuleFailure('NOT_FOUND', `Legal entity ${legalEntityId} does not exist in the erp`, 'erp', 'legalEntityId');
    const { end } = monthBounds(periodCode);
    const period = await findPeriodByCode(sys.erp, le.id, periodCode);
    if (period?.status === 'CLOSED')
      throw new BusinessRuleFailure(
        'PERIOD_CLOSED',
        `Period ${periodCode} of ${le.id} is closed: run its period end before closing it`,
        'erp',
        'periodCode',
      );
    const accounts = entityAccounts(mapping, le.id);
    const fn = le.functional_currency;
    const inputs: erp.PostJournalEntryInput[] = [];

    if (mapping.money.periodEnd.revalueReceivables) {
      const lines: erp.JournalLineInput[] = [];
      for (const r of await openForeignReceivables(sys.erp, le.id, fn, accounts.receivable)) {
        const rate = await erp.rateInForce(sys.erp, r.currency, fn, end);
        const diff = convertMoney(r.open_minor, r.currency, fn, rate) - Number(r.carried_minor);
        if (diff === 0) continue;
        const amount = formatMoney(Math.abs(diff), fn);
        const dims = { customerId: r.customer_id, projectId: r.project_id, sourceLineType: 'REVALUATION', sourceLineId: r.invoice_id };
        lines.push(
          { accountCode: accounts.arRevaluation, ...(diff > 0 ? { debit: amount } : { credit: amount }), ...dims },
          { accountCode: accounts.unrealizedFx, ...(diff > 0 ? { credit: amount } : { debit: amount }), ...dims },
        );
      }
      if (lines.length)
        inputs.push({
          legalEntityId: le.id,
          date: end,
          sourceType: 'REVALUATION',
          sourceId: `${le.id}:${periodCode}`,
          memo: `Revaluation of open foreign receivables at ${end}`,
          currency: fn,
          lines,
        });
    }

    if (mapping.money.periodEnd.accrueWip) {
      const byCurrency = new Map<string, erp.JournalLineInput[]>();
      for (const w of await unbilledWorkOfEntity(sys.billing, le.id, end)) {
        const amount = formatMoney(Number(w.amount_minor), w.currency);
        const dims = {
          customerId: w.customer_id,
          projectId: w.project_id,
          serviceLine: w.service_line,
          sourceLineType: 'WIP',
          sourceLineId: w.project_id,
        };
        byCurrency.set(w.currency, [
          ...(byCurrency.get(w.currency) ?? []),
          { accountCode: accounts.unbilledRevenue, debit: amount, ...dims },
          { accountCode: serviceLineAccounts(mapping, w.service_line).revenueAccount, credit: amount, ...dims },
        ]);
      }
      for (const [currency, lines] of byCurrency)
        inputs.push({
          legalEntityId: le.id,
          date: end,
          sourceType: 'WIP_ACCRUAL',
          sourceId: `${le.id}:${periodCode}:${currency}`,
          memo: `Unbilled work accrued at ${end}`,
          currency,
          lines,
        });
    }

    const entries = await postManyWithPolicy(sys.erp, mapping, inputs);
    const options = {
      closedPeriodPolicy: mapping.closedPeriodPolicy,
      autoOpen: mapping.money.periods.autoOpen,
      policy: ledgerPolicy(mapping),
    };
    const reversals = [];
    for (const e of entries) {
      // Moved out of the period (it closed meanwhile): the whole period end rolls back.
      if (e.entry_date !== end)
        throw new BusinessRuleFailure(
          'PERIOD_CLOSED',
          `Period ${periodCode} of ${le.id} closed while its period end ran`,
          'erp',
          'periodCode',
        );
      reversals.push(await erp.reverseJournalEntry(sys.erp, e.id, dayAfter(end), `${e.source_type}_REVERSAL`, e.source_id, options));
    }
    const ids = [...entries, ...reversals].map((e) => e.id);
    return {
      targets: ids.length ? { erp: { JournalEntry: ids } } : {},
      detail: {
        revaluation: inputs.some((i) => i.sourceType === 'REVALUATION'),
        wipEntries: inputs.filter((i) => i.sourceType === 'WIP_ACCRUAL').length,
      },
    };
  },
};
