import type { Kysely } from 'kysely';

/**
 * Business events that start sync flows. A system fires them inside the transaction of the write that
 * caused them, so the resulting job commits (or rolls back) with that write. Subgraphs only know
 * this interface; the sync engine implements it (sync-jobs/triggers.ts).
 */
export type TriggerEvent =
  | { type: 'OPPORTUNITY_WON'; opportunityId: string; customerId: string }
  | { type: 'TIMESHEET_APPROVED'; timesheetId: string; resourceId: string }
  | { type: 'INVOICE_ISSUED'; invoiceId: string; customerId: string; projectId: string }
  | {
      type: 'CREDIT_MEMO_ISSUED';
      creditMemoId: string;
      invoiceId: string;
      customerId: string;
      /** Time entries of fully credited lines and what happens to them: back to UNBILLED or WRITTEN_OFF. */
      timeEntryIds: string[];
      timeDisposition: 'UNBILL' | 'WRITE_OFF';
    }
  | { type: 'PAYMENT_RECORDED'; paymentId: string; invoiceId: string; customerId: string }
  | { type: 'RECEIVABLE_WRITTEN_OFF'; writeOffId: string; invoiceId: string; customerId: string }
  /** Unbilled work written off in billing: its time follows, and the ledger shows its value (mapping money.wipWriteOff). */
  | { type: 'WIP_WRITTEN_OFF'; writeOffId: string; itemIds: string[]; date: string; reason: string }
  | { type: 'CUSTOMER_MASTER_CHANGED'; customerId: string; changedAt: string }
  /** A rate card rate or an override was added: unbilled time of these projects (or this customer's) may price differently. */
  | { type: 'RATES_CHANGED'; changeId: string; rateCardId?: string | null; projectId?: string | null; customerId?: string | null };

export type Triggers = {
  fire: (trx: Kysely<any>, event: TriggerEvent, actor?: string | null) => Promise<void>;
  /** `fire` for many events of one write (a bulk approval), enqueued in a fixed number of statements. */
  fireMany: (trx: Kysely<any>, events: readonly TriggerEvent[], actor?: string | null) => Promise<void>;
};

/** For a system running without the sync engine (unit tests of one subgraph): events go nowhere. */
export const NO_TRIGGERS: Triggers = { fire: async () => undefined, fireMany: async () => undefined };
