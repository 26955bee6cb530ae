import { sql } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, badInput } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireCurrency, requireDate, requireMoney, requireText } from '../../../lib/validate.ts';
import type { Db, Trx } from '../data/db.ts';
import type { Project, ProjectStatus } from '../data/tables.ts';
import { lockProject } from './locks.ts';
import { plannedMinutes, requireDateOrder } from './validate.ts';

export type CreateProjectInput = {
  id?: string | null;
  code: string;
  name: string;
  customerId: string;
  opportunityId?: string | null;
  legalEntityId?: string | null;
  currency: string;
  billable?: boolean | null;
  startDate: string;
  endDate?: string | null;
  budgetHours?: number | null;
  budgetFee?: string | null;
  serviceLine: string;
  rateCardId?: string | null;
};

export type UpdateProjectInput = {
  code?: string | null;
  name?: string | null;
  legalEntityId?: string | null;
  billable?: boolean | null;
  startDate?: string | null;
  endDate?: string | null;
  budgetHours?: number | null;
  budgetFee?: string | null;
  serviceLine?: string | null;
  rateCardId?: string | null;
};

async function assertCodeFree(trx: Trx, code: string, exceptId?: string): Promise<void> {
  let q = trx.selectFrom('psa.projects').select('id').where('code', '=', code);
  if (exceptId) q = q.where('id', '<>', exceptId);
  const other = await q.executeTakeFirst();
  if (other) throw appError('DUPLICATE', `Project code ${code} is taken by project ${other.id}`, { field: 'code' });
}

async function assertRateCardCurrency(trx: Trx, rateCardId: string, currency: string): Promise<void> {
  const card = await trx.selectFrom('psa.rate_cards').select(['id', 'currency']).where('id', '=', rateCardId).executeTakeFirst();
  if (!card)
    throw appError('NOT_FOUND', `RateCard ${rateCardId} does not exist`, { field: 'rateCardId', type: 'RateCard', id: rateCardId });
  if (card.currency !== currency) {
    throw appError('CURRENCY_MISMATCH', `Rate card ${card.id} is in ${card.currency} but the project is in ${currency}`, {
      field: 'rateCardId',
      expected: currency,
      got: card.currency,
    });
  }
}

const budgetMinutes = (hours: number | null) => (hours == null ? null : plannedMinutes(hours, 'budgetHours'));
const budgetFeeMinor = (fee: string | null, currency: string) => (fee == null ? null : requireMoney(fee, currency, 'budgetFee'));

/**
 * Creates a DRAFT project. Validates: dates (end on or after start), a known currency, the customer's
 * PSA reference (upsertCustomerRef), the legal entity (defaulting to the customer's), the rate card
 * (CURRENCY_MISMATCH unless in the project currency) and a unique code (DUPLICATE).
 *
 * Idempotent for the opportunity-won sync: if the opportunity already has a project, that project
 * is returned unchanged, before any other check, so a replay never fails on its own earlier write.
 */
export function createProject(db: Db, input: CreateProjectInput): Promise<Project> {
  return inTransaction(db, async (trx) => {
    const opportunityId = input.opportunityId?.trim() || null;
    if (opportunityId) {
      // Serialise creates for one opportunity: the second waits here, then finds the first's project,
      // instead of racing it into the unique code or opportunity index.
      await sql`select pg_advisory_xact_lock(hashtext(${`psa.project-for-opportunity:${opportunityId}`}))`.execute(trx);
      const existing = await trx.selectFrom('psa.projects').selectAll().where('opportunity_id', '=', opportunityId).executeTakeFirst();
      if (existing) return existing;
    }
    const code = requireText(input.code, 'code');
    const currency = requireCurrency(input.currency, 'currency');
    const startDate = requireDate(input.startDate, 'startDate');
    const endDate = input.endDate == null ? null : requireDate(input.endDate, 'endDate');
    requireDateOrder(startDate, endDate);
    const values = {
      id: input.id ?? newId('prj'),
      code,
      name: requireText(input.name, 'name'),
      customer_id: requireText(input.customerId, 'customerId'),
      opportunity_id: opportunityId,
      currency,
      billable: input.billable ?? true,
      start_date: startDate,
      end_date: endDate,
      status: 'DRAFT' as const,
      budget_minutes: budgetMinutes(input.budgetHours ?? null),
      budget_fee_minor: budgetFeeMinor(input.budgetFee ?? null, currency),
      service_line: requireText(input.serviceLine, 'serviceLine'),
      rate_card_id: input.rateCardId ?? null,
    };
    const ref = await trx.selectFrom('psa.customer_refs').selectAll().where('customer_id', '=', values.customer_id).executeTakeFirst();
    if (!ref) {
      throw appError(
        'NOT_FOUND',
        `Customer ${values.customer_id} has no customer reference in the PSA; upsert it from the ERP financial master first`,
        {
          field: 'customerId',
          type: 'Customer',
          id: values.customer_id,
        },
      );
    }
    const legalEntityId = input.legalEntityId?.trim() || ref.legal_entity_id;
    if (!legalEntityId) throw badInput(`Customer ${ref.customer_id} has no legal entity; give legalEntityId`, 'legalEntityId');
    if (values.rate_card_id) await assertRateCardCurrency(trx, values.rate_card_id, currency);
    await assertCodeFree(trx, code);
    if (input.id) {
      const taken = await trx.selectFrom('psa.projects').select('id').where('id', '=', input.id).executeTakeFirst();
      if (taken) throw appError('DUPLICATE', `Project ${input.id} already exists`, { field: 'id' });
    }
    const created = await trx
      .insertInto('psa.projects')
      .values({ ...values, legal_entity_id: legalEntityId })
      .onConflict((oc) => oc.column('opportunity_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    // A concurrent create for the same opportunity won the race: its project is the answer.
    return created ?? trx.selectFrom('psa.projects').selectAll().where('opportunity_id', '=', opportunityId!).executeTakeFirstOrThrow();
  });
}

/**
 * Changes a draft or active project (a closed one is final: INVALID_STATE_TRANSITION). Null clears
 * the optional fields (endDate, budgets, rate card) and leaves required ones as they are.
 */
export function updateProject(db: Db, id: string, input: UpdateProjectInput): Promise<Project> {
  return inTransaction(db, async (trx) => {
    const current = await lockProject(trx, id);
    if (current.status === 'CLOSED')
      throw appError('INVALID_STATE_TRANSITION', `Project ${id} is CLOSED and can no longer change`, { from: 'CLOSED' });
    const startDate = input.startDate != null ? requireDate(input.startDate, 'startDate') : current.start_date;
    const endDate = input.endDate === undefined ? current.end_date : input.endDate === null ? null : requireDate(input.endDate, 'endDate');
    requireDateOrder(startDate, endDate);
    const code = input.code != null ? requireText(input.code, 'code') : current.code;
    if (code !== current.code) await assertCodeFree(trx, code, id);
    if (input.rateCardId) await assertRateCardCurrency(trx, input.rateCardId, current.currency);
    return trx
      .updateTable('psa.projects')
      .set({
        code,
        start_date: startDate,
        end_date: endDate,
        ...(input.name != null ? { name: requireText(input.name, 'name') } : {}),
        ...(input.legalEntityId != null ? { legal_entity_id: requireText(input.legalEntityId, 'legalEntityId') } : {}),
        ...(input.billable != null ? { billable: input.billable } : {}),
        ...(input.budgetHours !== undefined ? { budget_minutes: budgetMinutes(input.budgetHours) } : {}),
        ...(input.budgetFee !== undefined ? { budget_fee_minor: budgetFeeMinor(input.budgetFee, current.currency) } : {}),
        ...(input.serviceLine != null ? { service_line: requireText(input.serviceLine, 'serviceLine') } : {}),
        ...(input.rateCardId !== undefined ? { rate_card_id: input.rateCardId } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/**
 * Moves a project from `from` to `to`, its contract with it. Already in `to`: returned unchanged, so
 * a replayed activation or closing is harmless. Any other state: INVALID_STATE_TRANSITION.
 */
function transition(db: Db, id: string, from: ProjectStatus, to: ProjectStatus): Promise<Project> {
  return inTransaction(db, async (trx) => {
    const current = await lockProject(trx, id);
    if (current.status === to) return current;
    if (current.status !== from) {
      throw appError('INVALID_STATE_TRANSITION', `Project ${id} is ${current.status}; only a ${from} project can become ${to}`, {
        from: current.status,
        to,
      });
    }
    await trx.updateTable('psa.contracts').set({ status: to }).where('project_id', '=', id).execute();
    return trx
      .updateTable('psa.projects')
      .set({ status: to, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** DRAFT -> ACTIVE (idempotent); a CLOSED project cannot be reopened. */
export const activateProject = (db: Db, id: string) => transition(db, id, 'DRAFT', 'ACTIVE');

/** ACTIVE -> CLOSED (idempotent); a DRAFT project is never closed without having been active. */
export const closeProject = (db: Db, id: string) => transition(db, id, 'ACTIVE', 'CLOSED');
