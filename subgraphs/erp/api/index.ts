/**
 * The erp's system API: every write to erp data goes through here, from GraphQL mutations and from
 * sync jobs alike, so the erp validates everything written to it. Each call is one transaction.
 */

export * from './contract-refs.ts';
export * from './credit-memos.ts';
export * from './customer-credit.ts';
export * from './customer-masters.ts';
export * from './fx.ts';
export type { JournalLineInput } from './journal-lines.ts';
export * from './journals.ts';
export { monthBounds } from './months.ts';
export * from './payments.ts';
export type { ClosedPeriodPolicy } from './periods.ts';
export { resolvePostingPeriod } from './periods.ts';
export * from './receivables.ts';
export * from './refunds.ts';
export { applySettlementEvent, lockReceivable } from './settlement.ts';
export * from './setup.ts';
export * from './write-offs.ts';
