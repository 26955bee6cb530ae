/**
 * Unbilled work written off (billing) -> time and erp. Its time entries become WRITTEN_OFF, and with
 * the mapping's money.wipWriteOff STANDARD_VALUE its value is posted on the write-off date: credit the
 * service line's revenue, debit unbilled work written off, per project, so the ledger shows what was
 * lost while the margin is unchanged. Idempotent: the journal is keyed by the write-off.
 */
import { formatMoney } from '../../lib/money.ts';
import { findRulesByProjectIds } from '../../subgraphs/billing/data/accounts.ts';
import { findItemsByIds } from '../../subgraphs/billing/data/items.ts';
import type { PostJournalEntryInput } from '../../subgraphs/erp/api/index.ts';
import * as time from '../../subgraphs/time/api/index.ts';
import type { Flow } from '../flow.ts';
import { entityAccounts, postManyWithPolicy, serviceLineAccounts } from './posting.ts';

export const wipWrittenOff: Flow = {
  kind: 'WIP_WRITTEN_OFF',
  system: 'time',
  // Started by WIP_WRITTEN_OFF (lib/triggers.ts), fired in the transaction of the write that caused it.
  trigger: {
    event: 'WIP_WRITTEN_OFF',
    job: (event) => ({
      sourceType: 'WipWriteOff',
      sourceId: event.writeOffId,
      payload: { itemIds: event.itemIds, date: event.date, reason: event.reason },
    }),
  },
  run: async ({ sys, job, mapping }) => {
    const p = job.payload as { itemIds: string[]; date: string; reason: string };
    const items = (await findItemsByIds(sys.billing, p.itemIds)).filter((i) => i.status === 'WRITTEN_OFF');
    const entryIds = items.filter((i) => i.source_type === 'TIME_ENTRY').map((i) => i.source_id);
    if (entryIds.length) await time.setBillingStatus(sys.time, entryIds, 'WRITTEN_OFF');
    const valued = items.filter((i) => i.amount_minor > 0);
    let journals: string[] = [];
    if (mapping.money.wipWriteOff === 'STANDARD_VALUE' && valued.length) {
      const rules = new Map(
        (await findRulesByProjectIds(sys.billing, [...new Set(valued.map((i) => i.project_id))])).map((r) => [r.project_id, r]),
      );
      const byKey = new Map<string, PostJournalEntryInput>();
      for (const it of valued) {
        const rule = rules.get(it.project_id)!;
        const key = `${rule.legal_entity_id}|${it.currency}`;
        const entry = byKey.get(key) ?? {
          legalEntityId: rule.legal_entity_id,
          date: p.date,
          sourceType: 'WIP_WRITE_OFF',
          // One entry per legal entity and currency, keyed so a replay finds it.
          sourceId: `${job.source_id}:${rule.legal_entity_id}:${it.currency}`,
          memo: `Unbilled work written off: ${p.reason}`,
          currency: it.currency,
          lines: [],
        };
        const amount = formatMoney(it.amount_minor, it.currency);
        const dims = {
          customerId: it.customer_id,
          projectId: it.project_id,
          serviceLine: rule.service_line,
          sourceLineType: 'BILLABLE_ITEM',
          sourceLineId: it.id,
        };
        entry.lines.push(
          { accountCode: entityAccounts(mapping, rule.legal_entity_id).wipWriteOff, debit: amount, ...dims },
          { accountCode: serviceLineAccounts(mapping, rule.service_line).revenueAccount, credit: amount, ...dims },
        );
        byKey.set(key, entry);
      }
      journals = (await postManyWithPolicy(sys.erp, mapping, [...byKey.values()])).map((e) => e.id);
    }
    return {
      targets: {
        ...(entryIds.length ? { time: { TimeEntry: entryIds } } : {}),
        ...(journals.length ? { erp: { JournalEntry: journals } } : {}),
      },
      detail: { items: items.length, reason: p.reason },
    };
  },
};
