/**
 * What the crm resolvers hand to the GraphQL types that are not one table row: the row plus what its
 * parent knows (a workstream's rate is in its opportunity's currency). codegen.ts maps the types here.
 */
import type { Connection } from '../../../lib/pagination.ts';
import type { Customer, Opportunity, OpportunityMilestone, Workstream } from '../data/tables.ts';

export type WorkstreamModel = Workstream & { currency: string };
export type OpportunityMilestoneModel = OpportunityMilestone & { currency: string };

export type CustomerConnectionModel = Connection<Customer>;
export type OpportunityConnectionModel = Connection<Opportunity>;
