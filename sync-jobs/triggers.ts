import type { TriggerEvent, Triggers } from '../lib/triggers.ts';
import type { SyncEngine } from './engine.ts';
import type { JobSpec } from './ledger.ts';

/** Which job each business event starts, keyed so that a repeated event finds the job it started. */
export function jobForEvent(event: TriggerEvent): JobSpec {
  switch (event.type) {
    case 'OPPORTUNITY_WON':
      return { kind: 'OPPORTUNITY_WON', sourceType: 'Opportunity', sourceId: event.opportunityId, customerId: event.customerId };
    case 'TIMESHEET_APPROVED':
      return { kind: 'TIME_APPROVED', sourceType: 'Timesheet', sourceId: event.timesheetId, payload: { resourceId: event.resourceId } };
    case 'INVOICE_ISSUED':
      return {
        kind: 'INVOICE_ISSUED',
        sourceType: 'Invoice',
        sourceId: event.invoiceId,
        customerId: event.customerId,
        projectId: event.projectId,
        invoiceId: event.invoiceId,
      };
    case 'CREDIT_MEMO_ISSUED':
      return {
        kind: 'CREDIT_MEMO_ISSUED',
        sourceType: 'CreditMemo',
        sourceId: event.creditMemoId,
        customerId: event.customerId,
        invoiceId: event.invoiceId,
        payload: { timeEntryIds: event.timeEntryIds, timeDisposition: event.timeDisposition },
      };
    case 'PAYMENT_RECORDED':
      return {
        kind: 'PAYMENT_RECEIVED',
        sourceType: 'Payment',
        sourceId: event.paymentId,
        customerId: event.customerId,
        invoiceId: event.invoiceId,
      };
    case 'RECEIVABLE_WRITTEN_OFF':
      return {
        kind: 'RECEIVABLE_WRITTEN_OFF',
        sourceType: 'WriteOff',
        sourceId: event.writeOffId,
        customerId: event.customerId,
        invoiceId: event.invoiceId,
      };
    case 'WIP_WRITTEN_OFF':
      return {
        kind: 'WIP_WRITTEN_OFF',
        sourceType: 'WipWriteOff',
        sourceId: event.writeOffId,
        payload: { itemIds: event.itemIds, date: event.date, reason: event.reason },
      };
    case 'CUSTOMER_MASTER_CHANGED':
      // Every change is its own job; the source key tells them apart.
      return {
        kind: 'CUSTOMER_MASTER_CHANGED',
        sourceType: 'CustomerFinancialMaster',
        sourceId: event.customerId,
        sourceKey: `${event.customerId}@${event.changedAt}`,
        customerId: event.customerId,
      };
    case 'RATES_CHANGED':
      return {
        kind: 'RATE_CARD_CHANGED',
        sourceType: event.rateCardId ? 'RateCardRate' : 'RateOverride',
        sourceId: event.changeId,
        projectId: event.projectId ?? null,
        customerId: event.customerId ?? null,
        payload: { rateCardId: event.rateCardId ?? null, projectId: event.projectId ?? null, customerId: event.customerId ?? null },
      };
  }
}

/** The triggers the subgraphs fire, backed by the engine: each event enqueues its job in the writer's transaction. */
export function engineTriggers(engine: SyncEngine): Triggers {
  return {
    fire: async (trx, event, actor) => {
      await engine.enqueue(trx, { ...jobForEvent(event), triggeredBy: actor ?? null });
    },
    fireMany: async (trx, events, actor) => {
      await engine.enqueueMany(
        trx,
        events.map((e) => ({ ...jobForEvent(e), triggeredBy: actor ?? null })),
      );
    },
  };
}
