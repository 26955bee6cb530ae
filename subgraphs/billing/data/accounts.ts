import type { Kysely, Transaction } from 'kysely';
import type { Account, BillingDatabase, Milestone, Rule } from './tables.ts';

type Db = Kysely<BillingDatabase> | Transaction<BillingDatabase>;

export function findAccountsByCustomerIds(db: Db, customerIds: readonly string[]): Promise<Account[]> {
  return db.selectFrom('billing.accounts').selectAll().where('customer_id', 'in', [...customerIds]).execute();
}

export function findRulesByProjectIds(db: Db, projectIds: readonly string[]): Promise<Rule[]> {
  return db.selectFrom('billing.rules').selectAll().where('project_id', 'in', [...projectIds]).execute();
}

export function findMilestonesByIds(db: Db, ids: readonly string[]): Promise<Milestone[]> {
  return db.selectFrom('billing.milestones').selectAll().where('id', 'in', [...ids]).execute();
}

export function findMilestonesOfProjects(db: Db, projectIds: readonly string[]): Promise<Milestone[]> {
  return db.selectFrom('billing.milestones').selectAll().where('project_id', 'in', [...projectIds]).orderBy('due_date').orderBy('id').execute();
}
