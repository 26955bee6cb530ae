import { inTransaction } from '../../../lib/db.ts';
import { appError, badInput, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireCurrency, requireMoney, requireText } from '../../../lib/validate.ts';
import type { Db, Trx } from '../data/db.ts';
import type { Resource } from '../data/tables.ts';
import { optionalEmail, plannedMinutes } from './validate.ts';

export type CreateResourceInput = {
  id?: string | null;
  name: string;
  email?: string | null;
  role: string;
  costRate: string;
  costCurrency: string;
  legalEntityId: string;
  capacityHoursPerWeek?: number | null;
};
export type UpdateResourceInput = {
  name?: string | null;
  email?: string | null;
  role?: string | null;
  costRate?: string | null;
  costCurrency?: string | null;
  legalEntityId?: string | null;
  capacityHoursPerWeek?: number | null;
  active?: boolean | null;
};

const HOURS_PER_WEEK = 168;

function capacityMinutes(hours: number): number {
  return plannedMinutes(hours, 'capacityHoursPerWeek', HOURS_PER_WEEK);
}

async function assertEmailFree(trx: Trx, email: string | null, exceptId?: string): Promise<void> {
  if (!email) return;
  let q = trx.selectFrom('psa.resources').select('id').where('email', '=', email);
  if (exceptId) q = q.where('id', '<>', exceptId);
  const other = await q.executeTakeFirst();
  if (other) throw appError('DUPLICATE', `Resource ${other.id} already has the e-mail ${email}`, { field: 'email' });
}

export function createResource(db: Db, input: CreateResourceInput): Promise<Resource> {
  return inTransaction(db, async (trx) => {
    const email = optionalEmail(input.email);
    const costCurrency = requireCurrency(input.costCurrency, 'costCurrency');
    const values = {
      id: input.id ?? newId('res'),
      name: requireText(input.name, 'name'),
      email,
      role: requireText(input.role, 'role'),
      cost_rate_minor: requireMoney(input.costRate, costCurrency, 'costRate'),
      cost_currency: costCurrency,
      legal_entity_id: requireText(input.legalEntityId, 'legalEntityId'),
      capacity_minutes_per_week: capacityMinutes(input.capacityHoursPerWeek ?? 40),
    };
    if (input.id) {
      const existing = await trx.selectFrom('psa.resources').select('id').where('id', '=', input.id).executeTakeFirst();
      if (existing) throw appError('DUPLICATE', `Resource ${input.id} already exists`, { field: 'id' });
    }
    await assertEmailFree(trx, email);
    return trx.insertInto('psa.resources').values(values).returningAll().executeTakeFirstOrThrow();
  });
}

/** Absent or null fields stay as they are (every resource column is required except e-mail). */
export function updateResource(db: Db, id: string, input: UpdateResourceInput): Promise<Resource> {
  return inTransaction(db, async (trx) => {
    const current = await trx.selectFrom('psa.resources').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw notFound('Resource', id);
    // A new currency reinterprets the amount (JPY has no decimals), so it must come with its amount.
    if (input.costCurrency != null && input.costRate == null) throw badInput('costCurrency needs costRate in that currency', 'costRate');
    const costCurrency = input.costCurrency != null ? requireCurrency(input.costCurrency, 'costCurrency') : current.cost_currency;
    const email = input.email !== undefined ? optionalEmail(input.email) : current.email;
    await assertEmailFree(trx, email, id);
    return trx
      .updateTable('psa.resources')
      .set({
        ...(input.name != null ? { name: requireText(input.name, 'name') } : {}),
        ...(input.email !== undefined ? { email } : {}),
        ...(input.role != null ? { role: requireText(input.role, 'role') } : {}),
        ...(input.costRate != null
          ? { cost_rate_minor: requireMoney(input.costRate, costCurrency, 'costRate'), cost_currency: costCurrency }
          : {}),
        ...(input.legalEntityId != null ? { legal_entity_id: requireText(input.legalEntityId, 'legalEntityId') } : {}),
        ...(input.capacityHoursPerWeek != null ? { capacity_minutes_per_week: capacityMinutes(input.capacityHoursPerWeek) } : {}),
        ...(input.active != null ? { active: input.active } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
