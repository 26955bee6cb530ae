/**
 * The CRM's system API: every write to crm data goes through here, from GraphQL mutations and from
 * sync jobs alike, so the CRM validates everything written to it. Each call is one transaction.
 */
import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, badInput, notFound } from '../../../lib/errors.ts';
import { hoursToMinutes } from '../../../lib/hours.ts';
import { newId } from '../../../lib/ids.ts';
import { parseMoney } from '../../../lib/money.ts';
import { requireCurrency, requireMoney, requireText } from '../../../lib/validate.ts';
import { wouldCreateCycle } from '../data/customers.ts';
import type { BillingModel, Contact, CrmDatabase, Customer, Opportunity, OpportunityStage } from '../data/tables.ts';

type Db = Kysely<CrmDatabase>;

export type CreateCustomerInput = {
  id?: string | null;
  name: string;
  industry?: string | null;
  owner?: string | null;
  region: string;
  parentId?: string | null;
};
/** Fields left out stay as they are; a null name or region is refused (requireText), a null elsewhere clears. */
export type UpdateCustomerInput = { [K in Exclude<keyof CreateCustomerInput, 'id'>]?: CreateCustomerInput[K] | null };

export function createCustomer(db: Db, input: CreateCustomerInput): Promise<Customer> {
  return inTransaction(db, async (trx) => {
    if (input.parentId) {
      const parent = await trx.selectFrom('crm.customers').select('id').where('id', '=', input.parentId).executeTakeFirst();
      if (!parent) throw notFound('Customer', input.parentId);
    }
    return trx
      .insertInto('crm.customers')
      .values({
        id: input.id ?? newId('cus'),
        name: requireText(input.name, 'name'),
        industry: input.industry ?? null,
        owner: input.owner ?? null,
        region: requireText(input.region, 'region'),
        parent_id: input.parentId ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export function updateCustomer(db: Db, id: string, input: UpdateCustomerInput): Promise<Customer> {
  return inTransaction(db, async (trx) => {
    const current = await trx.selectFrom('crm.customers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw notFound('Customer', id);
    if (input.parentId) {
      const parent = await trx.selectFrom('crm.customers').select('id').where('id', '=', input.parentId).executeTakeFirst();
      if (!parent) throw notFound('Customer', input.parentId);
      if (await wouldCreateCycle(trx, id, input.parentId)) {
        throw appError('BAD_USER_INPUT', `Customer ${input.parentId} cannot be the parent of ${id}: the hierarchy would loop`, {
          field: 'parentId',
        });
      }
    }
    return trx
      .updateTable('crm.customers')
      .set({
        ...(input.name !== undefined ? { name: requireText(input.name, 'name') } : {}),
        ...(input.industry !== undefined ? { industry: input.industry } : {}),
        ...(input.owner !== undefined ? { owner: input.owner } : {}),
        ...(input.region !== undefined ? { region: requireText(input.region, 'region') } : {}),
        ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** The erp financial master as the CRM keeps a copy of it (master-data flow). */
export function applyFinancialMaster(db: Db, customerId: string, master: { legalEntityId: string; currency: string }): Promise<Customer> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable('crm.customers')
      .set({ legal_entity_id: master.legalEntityId, currency: master.currency, updated_at: new Date() })
      .where('id', '=', customerId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('Customer', customerId);
    return row;
  });
}

export type AddContactInput = { customerId: string; name: string; email?: string | null; title?: string | null };

export function addContact(db: Db, input: AddContactInput): Promise<Contact> {
  return inTransaction(db, async (trx) => {
    const customer = await trx.selectFrom('crm.customers').select('id').where('id', '=', input.customerId).executeTakeFirst();
    if (!customer) throw notFound('Customer', input.customerId);
    if (input.email && !/^[^@\s]+@[^@\s]+$/.test(input.email)) throw badInput(`email "${input.email}" is not an e-mail address`, 'email');
    return trx
      .insertInto('crm.contacts')
      .values({
        id: newId('con'),
        customer_id: input.customerId,
        name: requireText(input.name, 'name'),
        email: input.email ?? null,
        title: input.title ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export type CreateOpportunityInput = {
  id?: string | null;
  customerId: string;
  name: string;
  stage?: OpportunityStage | null;
  amount: string;
  currency: string;
  closeDate: string;
  billingModel: BillingModel;
  serviceLine: string;
  workstreams?: { role: string; hours: number; rate: string; description?: string | null }[] | null;
  milestones?: { name: string; amount: string; dueDate: string }[] | null;
};

const CLOSED: ReadonlySet<OpportunityStage> = new Set(['CLOSED_WON', 'CLOSED_LOST']);

export function createOpportunity(db: Db, input: CreateOpportunityInput): Promise<Opportunity> {
  return inTransaction(db, async (trx) => {
    requireCurrency(input.currency);
    const stage = input.stage ?? 'PROSPECTING';
    if (CLOSED.has(stage))
      throw appError('INVALID_STATE_TRANSITION', 'An opportunity cannot be created closed; create it open, then change its stage', {
        field: 'stage',
      });
    const customer = await trx.selectFrom('crm.customers').select('id').where('id', '=', input.customerId).executeTakeFirst();
    if (!customer) throw notFound('Customer', input.customerId);
    const amountMinor = requireMoney(input.amount, input.currency, 'amount');
    if (input.billingModel === 'MILESTONES' && !input.milestones?.length) {
      throw badInput('A MILESTONES opportunity needs at least one milestone', 'milestones');
    }
    const id = input.id ?? newId('opp');
    const opp = await trx
      .insertInto('crm.opportunities')
      .values({
        id,
        customer_id: input.customerId,
        name: requireText(input.name, 'name'),
        stage,
        amount_minor: amountMinor,
        currency: input.currency,
        close_date: input.closeDate,
        billing_model: input.billingModel,
        service_line: requireText(input.serviceLine, 'serviceLine'),
        won_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.insertInto('crm.opportunity_stage_history').values({ opportunity_id: id, stage, changed_by: null }).execute();
    const workstreams = (input.workstreams ?? []).map((w, i) => {
      const rate = requireMoney(w.rate, input.currency, `workstreams[${i}].rate`);
      return {
        id: newId('wks'),
        opportunity_id: id,
        role: requireText(w.role, `workstreams[${i}].role`),
        minutes: hoursToMinutes(w.hours, `workstreams[${i}].hours`, 100_000),
        rate_minor: rate,
        description: w.description ?? null,
      };
    });
    if (workstreams.length) await trx.insertInto('crm.workstreams').values(workstreams).execute();
    const milestones = (input.milestones ?? []).map((m, i) => {
      const amount = requireMoney(m.amount, input.currency, `milestones[${i}].amount`, { allowZero: false });
      return {
        id: newId('oms'),
        opportunity_id: id,
        name: requireText(m.name, `milestones[${i}].name`),
        amount_minor: amount,
        due_date: m.dueDate,
      };
    });
    if (milestones.length) await trx.insertInto('crm.opportunity_milestones').values(milestones).execute();
    return opp;
  });
}

export type UpdateOpportunityInput = {
  name?: string | null;
  amount?: string | null;
  closeDate?: string | null;
  billingModel?: BillingModel | null;
  serviceLine?: string | null;
};

export function updateOpportunity(db: Db, id: string, input: UpdateOpportunityInput): Promise<Opportunity> {
  return inTransaction(db, async (trx) => {
    const current = await trx.selectFrom('crm.opportunities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw notFound('Opportunity', id);
    if (CLOSED.has(current.stage))
      throw appError('INVALID_STATE_TRANSITION', `Opportunity ${id} is ${current.stage} and can no longer change`, {
        stage: current.stage,
      });
    return trx
      .updateTable('crm.opportunities')
      .set({
        ...(input.name != null ? { name: requireText(input.name, 'name') } : {}),
        ...(input.amount != null ? { amount_minor: parseMoney(input.amount, current.currency, 'amount') } : {}),
        ...(input.closeDate != null ? { close_date: input.closeDate } : {}),
        ...(input.billingModel != null ? { billing_model: input.billingModel } : {}),
        ...(input.serviceLine != null ? { service_line: requireText(input.serviceLine, 'serviceLine') } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/**
 * Moves an opportunity along its stages at the instant `at` (the win's date starts the project and
 * its rate card). Open stages may move freely; closed ones are final.
 * `afterWrite` runs inside the same transaction, so a sync job enqueued there commits with the win.
 */
export function changeOpportunityStage(
  db: Db,
  id: string,
  stage: OpportunityStage,
  changedBy: string | null,
  at: Date,
  afterWrite?: (trx: Kysely<CrmDatabase>, opp: Opportunity, previous: OpportunityStage) => Promise<void>,
): Promise<Opportunity> {
  return inTransaction(db, async (trx) => {
    const current = await trx.selectFrom('crm.opportunities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw notFound('Opportunity', id);
    if (current.stage === stage) return current;
    if (CLOSED.has(current.stage)) {
      throw appError('INVALID_STATE_TRANSITION', `Opportunity ${id} is ${current.stage}; closed stages are final`, {
        from: current.stage,
        to: stage,
      });
    }
    const opp = await trx
      .updateTable('crm.opportunities')
      .set({ stage, won_at: stage === 'CLOSED_WON' ? at : null, updated_at: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('crm.opportunity_stage_history')
      .values({ opportunity_id: id, stage, changed_at: at, changed_by: changedBy })
      .execute();
    if (afterWrite) await afterWrite(trx, opp, current.stage);
    return opp;
  });
}
