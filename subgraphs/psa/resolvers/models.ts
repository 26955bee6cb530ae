/** What the psa resolvers hand to GraphQL types that are not one table row; codegen.ts maps the types here. */
import type { Connection } from '../../../lib/pagination.ts';
import type { Project, RateCard, RateCardRate, Resource } from '../data/tables.ts';

/** Rates listed under their card carry its currency; a rate on its own (a mutation result) loads it. */
export type RateCardRateModel = RateCardRate & { currency?: string };

export type ProjectConnectionModel = Connection<Project>;
export type ResourceConnectionModel = Connection<Resource>;
export type RateCardConnectionModel = Connection<RateCard>;
