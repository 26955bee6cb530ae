import type { Kysely, Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import type { Account, BillingDatabase, Milestone, Rule } from './tables.ts';

type Db = Kysely<BillingDatabase> | Transaction<BillingDatabase>;

export function findAccountsByCustomerIds(db: Db, customerIds: readonly string[]): Promise<Account[]> {
  return db.selectFrom('billing.accounts').selectAll().where('customer_id', '=', anyOf(customerIds)).execute();
}

export function findRulesByProjectIds(db: Db, projectIds: readonly string[]): Promise<Rule[]> {
  return db.selectFrom('billing.rules').selectAll().where('project_id', '=', anyOf(projectIds)).execute();
}

export function findMilestonesByIds(db: Db, ids: readonly string[]): Promise<Milestone[]> {
  return db.selectFrom('billing.milestones').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function findMilestonesOfProjects(db: Db, projectIds: readonly string[]): Promise<Milestone[]> {
  return db
    .selectFrom('billing.milestones')
    .selectAll()
    .where('project_id', '=', anyOf(projectIds))
    .orderBy('due_date')
    .orderBy('id')
    .execute();
}

/**
 * Projects a billing cycle through `through` has work for: active T&M projects with unbilled items
 * dated up to then, and projects with a planned milestone due by then. Optionally one legal entity
 * or a list of projects.
 * Each probe is an index lookup per rule, so the cost follows the number of projects, not of items.
 */
export async function findProjectsToBill(
  db: Db,
  through: string,
  filter: { legalEntityId?: string | null; projectIds?: readonly string[] | null } = {},
): Promise<string[]> {
  let q = db
    .selectFrom('billing.rules as r')
    .select('r.project_id')
    .where('r.active', '=', true)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('r.billing_model', '=', 'TIME_AND_MATERIALS'),
          eb.exists(
            eb
              .selectFrom('billing.billable_items as i')
              .select('i.id')
              .whereRef('i.project_id', '=', 'r.project_id')
              .where('i.status', '=', 'UNBILLED')
              .where('i.work_date', '<=', through),
          ),
        ]),
        eb.exists(
          eb
            .selectFrom('billing.milestones as m')
            .select('m.id')
            .whereRef('m.project_id', '=', 'r.project_id')
            .where('m.status', '=', 'PLANNED')
            .where('m.due_date', '<=', through),
        ),
      ]),
    )
    .orderBy('r.project_id');
  if (filter.legalEntityId) q = q.where('r.legal_entity_id', '=', filter.legalEntityId);
  if (filter.projectIds) q = q.where('r.project_id', '=', anyOf(filter.projectIds.length ? filter.projectIds : ['']));
  return (await q.execute()).map((r) => r.project_id);
}
