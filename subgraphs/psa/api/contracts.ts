import { inTransaction } from '../../../lib/db.ts';
import { appError, badInput } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireDate, requireMoney } from '../../../lib/validate.ts';
import type { Db } from '../data/db.ts';
import type { BillingModel, Contract, RoundingMode } from '../data/tables.ts';
import { lockProject } from './locks.ts';
import { requireDateOrder } from './validate.ts';

export type CreateContractInput = {
  projectId: string;
  billingModel: BillingModel;
  cap?: string | null;
  fixedFee?: string | null;
  roundingIncrementMinutes?: number | null;
  roundingMode?: RoundingMode | null;
  startDate?: string | null;
  endDate?: string | null;
};

/** Increments that divide an hour evenly, as the table's check constraint allows. */
const ROUNDING_INCREMENTS = [1, 6, 15, 30, 60];

/**
 * Creates the billing terms of a project. One contract per project: if the project has one, it is
 * returned unchanged (idempotent for the opportunity-won sync). Rules: FIXED_FEE needs a positive
 * `fixedFee` and only FIXED_FEE takes one; a `cap` is for TIME_AND_MATERIALS only; a closed project
 * takes no new contract. The contract is in the project currency and takes the project's status.
 */
export function createContract(db: Db, input: CreateContractInput): Promise<Contract> {
  return inTransaction(db, async (trx) => {
    const project = await lockProject(trx, input.projectId);
    const existing = await trx.selectFrom('psa.contracts').selectAll().where('project_id', '=', project.id).executeTakeFirst();
    if (existing) return existing;
    if (project.status === 'CLOSED')
      throw appError('INVALID_STATE_TRANSITION', `Project ${project.id} is CLOSED and takes no new contract`, { from: 'CLOSED' });
    const model = input.billingModel;
    if (model === 'FIXED_FEE' && input.fixedFee == null) throw badInput('A FIXED_FEE contract needs fixedFee', 'fixedFee');
    if (model !== 'FIXED_FEE' && input.fixedFee != null) throw badInput(`A ${model} contract takes no fixedFee`, 'fixedFee');
    if (model !== 'TIME_AND_MATERIALS' && input.cap != null)
      throw badInput(`Only a TIME_AND_MATERIALS contract takes a cap, not ${model}`, 'cap');
    const increment = input.roundingIncrementMinutes ?? 15;
    if (!ROUNDING_INCREMENTS.includes(increment))
      throw badInput(
        `roundingIncrementMinutes must be one of ${ROUNDING_INCREMENTS.join(', ')}, got ${increment}`,
        'roundingIncrementMinutes',
      );
    const startDate = input.startDate != null ? requireDate(input.startDate, 'startDate') : project.start_date;
    const endDate =
      input.endDate !== undefined ? (input.endDate === null ? null : requireDate(input.endDate, 'endDate')) : project.end_date;
    requireDateOrder(startDate, endDate);
    return trx
      .insertInto('psa.contracts')
      .values({
        id: newId('ctr'),
        project_id: project.id,
        customer_id: project.customer_id,
        billing_model: model,
        currency: project.currency,
        cap_minor: input.cap == null ? null : requireMoney(input.cap, project.currency, 'cap', { allowZero: false }),
        fixed_fee_minor: input.fixedFee == null ? null : requireMoney(input.fixedFee, project.currency, 'fixedFee', { allowZero: false }),
        rounding_increment_minutes: increment,
        rounding_mode: input.roundingMode ?? 'UP',
        start_date: startDate,
        end_date: endDate,
        status: project.status,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
