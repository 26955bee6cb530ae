/**
 * Billing's system API: every write to billing data goes through here, from GraphQL mutations and
 * from sync jobs alike, so billing validates everything written to it. Each call is one transaction.
 * Amounts are integer minor units and times whole minutes: the GraphQL layer parses decimal strings
 * and hours into them, sync jobs pass the numbers their source systems hold.
 */
export * from './accounts.ts';
export * from './billable-items.ts';
export * from './credit-memos.ts';
export * from './invoicing.ts';
export * from './issuing.ts';
export * from './payments.ts';
export * from './repricing.ts';
export * from './runs.ts';
export { factsOf, openMinorOf, storeSettlement } from './settlement.ts';
export * from './write-offs.ts';
