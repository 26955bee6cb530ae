/**
 * The PSA's system API: every write to psa data goes through here, from GraphQL mutations and from
 * sync jobs alike, so the PSA validates everything written to it. Each call is one transaction that
 * writes nothing when it throws. Business rules per module under api/.
 */

export * from './api/contracts.ts';
export * from './api/customer-refs.ts';
export * from './api/projects.ts';
export * from './api/rate-cards.ts';
export * from './api/rate-overrides.ts';
export * from './api/resources.ts';
export * from './api/work.ts';
export { type RateRequest, type RateSource, type ResolvedRate, resolveRate, resolveRates } from './rates.ts';
