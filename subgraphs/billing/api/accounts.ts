import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, badInput } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireCurrency, requireDate, requirePaymentTermsDays, requireText } from '../../../lib/validate.ts';
import type { Account, BillingDatabase, BillingModel, Milestone, RoundingMode, Rule } from '../data/tables.ts';
import { requireMinor } from './validate.ts';

type Db = Kysely<BillingDatabase>;

export type BillingAccountInput = {
  customerId: string;
  name: string;
  legalEntityId: string;
  currency: string;
  paymentTermsDays: number;
  taxCode: string;
};

/** Billing's copy of the erp customer master; the same input twice leaves the same row. */
export function upsertBillingAccount(db: Db, input: BillingAccountInput): Promise<Account> {
  return inTransaction(db, async (trx) => {
    requirePaymentTermsDays(input.paymentTermsDays);
    const row = {
      customer_id: requireText(input.customerId, 'customerId'),
      name: requireText(input.name, 'name'),
      legal_entity_id: requireText(input.legalEntityId, 'legalEntityId'),
      currency: requireCurrency(input.currency),
      payment_terms_days: input.paymentTermsDays,
      tax_code: requireText(input.taxCode, 'taxCode'),
    };
    return trx
      .insertInto('billing.accounts')
      .values(row)
      .onConflict((oc) => oc.column('customer_id').doUpdateSet({ ...row, updated_at: new Date() }))
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export type BillingRuleInput = {
  projectId: string;
  customerId: string;
  contractId: string;
  legalEntityId: string;
  billingModel: BillingModel;
  currency: string;
  capMinor?: number | null;
  fixedFeeMinor?: number | null;
  roundingIncrementMinutes?: number | null;
  roundingMode?: RoundingMode | null;
  serviceLine: string;
  active?: boolean | null;
};

const MODELS: ReadonlySet<string> = new Set(['TIME_AND_MATERIALS', 'FIXED_FEE', 'MILESTONES']);
const MODES: ReadonlySet<string> = new Set(['UP', 'NEAREST', 'DOWN']);

/**
 * The billing rule of a project, from its psa contract; replaying the same contract leaves the same
 * row. The currency cannot change once the project has items, milestones or invoices in the old one
 * (CURRENCY_MISMATCH): amounts of two currencies would be summed. The customer cannot change once
 * the project has items or invoices (CUSTOMER_MISMATCH): they were billed to the old one.
 */
export function upsertBillingRule(db: Db, input: BillingRuleInput): Promise<Rule> {
  return inTransaction(db, async (trx) => {
    if (!MODELS.has(input.billingModel)) throw badInput(`billingModel ${input.billingModel} is unknown`, 'billingModel');
    const increment = input.roundingIncrementMinutes ?? 15;
    if (!Number.isInteger(increment) || increment < 1 || increment > 480)
      throw badInput(`roundingIncrementMinutes must be 1 to 480, got ${increment}`, 'roundingIncrementMinutes');
    const mode = input.roundingMode ?? 'UP';
    if (!MODES.has(mode)) throw badInput(`roundingMode ${mode} is unknown`, 'roundingMode');
    if (input.capMinor != null) requireMinor(input.capMinor, 'cap', true);
    if (input.fixedFeeMinor != null) requireMinor(input.fixedFeeMinor, 'fixedFee');
    if (input.billingModel === 'FIXED_FEE' && input.fixedFeeMinor == null) throw badInput('A FIXED_FEE rule needs a fixedFee', 'fixedFee');
    const projectId = requireText(input.projectId, 'projectId');
    const currency = requireCurrency(input.currency);
    const customerId = requireText(input.customerId, 'customerId');
    const existing = await trx
      .selectFrom('billing.rules')
      .select(['currency', 'customer_id'])
      .where('project_id', '=', projectId)
      .forUpdate()
      .executeTakeFirst();
    // Invoices and items carry the rule's customer (a foreign key on both): they would name two customers.
    if (existing && existing.customer_id !== customerId && (await hasDocuments(trx, projectId))) {
      throw appError(
        'CUSTOMER_MISMATCH',
        `Project ${projectId} is billed to customer ${existing.customer_id}; its rule cannot move to customer ${customerId}`,
        { field: 'customerId', expected: existing.customer_id },
      );
    }
    if (existing && existing.currency !== currency && (await hasMoneyIn(trx, projectId, existing.currency))) {
      throw appError(
        'CURRENCY_MISMATCH',
        `Project ${projectId} already has ${existing.currency} amounts; its currency cannot become ${currency}`,
        {
          field: 'currency',
          expected: existing.currency,
        },
      );
    }
    const row = {
      project_id: projectId,
      customer_id: customerId,
      contract_id: requireText(input.contractId, 'contractId'),
      legal_entity_id: requireText(input.legalEntityId, 'legalEntityId'),
      billing_model: input.billingModel,
      currency,
      cap_minor: input.capMinor ?? null,
      fixed_fee_minor: input.fixedFeeMinor ?? null,
      rounding_increment_minutes: increment,
      rounding_mode: mode,
      service_line: requireText(input.serviceLine, 'serviceLine'),
      active: input.active ?? true,
    };
    return trx
      .insertInto('billing.rules')
      .values(row)
      .onConflict((oc) => oc.column('project_id').doUpdateSet(row))
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

async function hasDocuments(trx: Db, projectId: string): Promise<boolean> {
  const found = await trx
    .selectFrom('billing.billable_items')
    .select('id')
    .where('project_id', '=', projectId)
    .unionAll(trx.selectFrom('billing.invoices').select('id').where('project_id', '=', projectId))
    .limit(1)
    .executeTakeFirst();
  return found !== undefined;
}

async function hasMoneyIn(trx: Db, projectId: string, currency: string): Promise<boolean> {
  const found = await trx
    .selectFrom('billing.billable_items')
    .select('id')
    .where('project_id', '=', projectId)
    .where('currency', '=', currency)
    .unionAll(trx.selectFrom('billing.invoices').select('id').where('project_id', '=', projectId).where('currency', '=', currency))
    .unionAll(trx.selectFrom('billing.milestones').select('id').where('project_id', '=', projectId).where('currency', '=', currency))
    .limit(1)
    .executeTakeFirst();
  return found !== undefined;
}

export type MilestoneInput = {
  id?: string | null;
  projectId: string;
  name: string;
  amountMinor: number;
  currency?: string | null;
  dueDate: string;
};

/**
 * Adds a milestone in the project's currency. With an id, adding it again returns the existing
 * milestone (sync replays); the same id on another project is a DUPLICATE.
 */
export function addMilestone(db: Db, input: MilestoneInput): Promise<Milestone> {
  return inTransaction(db, async (trx) => {
    const rule = await trx
      .selectFrom('billing.rules')
      .select(['project_id', 'currency'])
      .where('project_id', '=', input.projectId)
      .executeTakeFirst();
    if (!rule)
      throw appError('NOT_FOUND', `Project ${input.projectId} has no billing rule`, {
        type: 'BillingRule',
        id: input.projectId,
        field: 'projectId',
      });
    if (input.currency && input.currency !== rule.currency) {
      throw appError('CURRENCY_MISMATCH', `Milestone in ${input.currency} on a ${rule.currency} project`, {
        field: 'currency',
        expected: rule.currency,
      });
    }
    const row = {
      id: input.id ?? newId('mst'),
      project_id: rule.project_id,
      name: requireText(input.name, 'name'),
      amount_minor: requireMinor(input.amountMinor, 'amount'),
      currency: rule.currency,
      due_date: requireDate(input.dueDate, 'dueDate'),
    };
    await trx
      .insertInto('billing.milestones')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const stored = await trx.selectFrom('billing.milestones').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    if (stored.project_id !== row.project_id)
      throw appError('DUPLICATE', `Milestone ${row.id} already exists on project ${stored.project_id}`, { field: 'id' });
    return stored;
  });
}
