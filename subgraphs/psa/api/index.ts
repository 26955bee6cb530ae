/**
 * The PSA's system API: every write to psa data goes through here, from GraphQL mutations and from
 * sync jobs alike, so the PSA validates everything written to it. Each call is one transaction that
 * writes nothing when it throws. Business rules per module under api/.
 */

export * from './contracts.ts';
export * from './customer-refs.ts';
export * from './projects.ts';
export * from './rate-cards.ts';
export * from './rate-overrides.ts';
export { type RateRequest, type RateSource, type ResolvedRate, resolveRate, resolveRates } from './rates.ts';
export * from './resources.ts';
export * from './work.ts';
