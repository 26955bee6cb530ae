import { type AuthzPolicy, asIs, pinFilterCustomer } from '../../lib/authz.ts';
import type { Contract, Project } from './data/tables.ts';

/**
 * PSA rules: a portal user sees its own projects and contracts; people and rate cards only by name.
 * The PSA is the system of record of projects, so a project's row says its customer; a contract
 * carries the same customer (a foreign key on project and customer keeps them equal).
 */
export const psaPolicy: AuthzPolicy = {
  portal: {
    queries: { projects: pinFilterCustomer, project: asIs },
    owners: {
      Customer: (c: { id: string }) => c.id,
      Project: (p: Project) => p.customer_id,
      Contract: (c: Contract) => c.customer_id,
    },
    // A project's own values and children, listed by its id.
    parts: ['Money', 'PageInfo', 'ProjectBudget', 'Task', 'RateOverride', 'ProjectConnection', 'ProjectEdge'],
    // The PSA adds only `project` to an opportunity; the project is judged by its own rule.
    references: ['Opportunity'],
    restricted: {
      Resource: ['id', 'name', 'role'],
      RateCard: ['id', 'name', 'currency'],
      Assignment: ['id', 'role', 'resource'],
      LegalEntity: ['id'],
    },
  },
};
