import { inTransaction } from '../../../lib/db.ts';
import { appError, badInput, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { requireCurrency, requireDate, requireMoney, requireText } from '../../../lib/validate.ts';
import type { Db, Trx } from '../data/db.ts';
import type { RateOverride, RateOverrideScope } from '../data/tables.ts';

export type CreateRateOverrideInput = {
  scope: RateOverrideScope;
  projectId?: string | null;
  customerId?: string | null;
  resourceId?: string | null;
  role?: string | null;
  rate: string;
  currency?: string | null;
  effectiveFrom: string;
};

type KeyField = 'projectId' | 'customerId' | 'resourceId' | 'role';

/** The keys each scope is made of; any other key given is a mistake, not something to ignore. */
const SCOPE_KEYS: Record<RateOverrideScope, readonly KeyField[]> = {
  PROJECT_RESOURCE: ['projectId', 'resourceId'],
  PROJECT_ROLE: ['projectId', 'role'],
  CUSTOMER_ROLE: ['customerId', 'role'],
};
const ALL_KEYS: readonly KeyField[] = ['projectId', 'customerId', 'resourceId', 'role'];

/**
 * Creates a rate override (see rates.ts for how overrides take precedence). Project overrides are
 * in the project currency; a customer override defaults to the customer's currency. The same keys,
 * currency, date and rate again return the existing override; a different rate for them is DUPLICATE.
 */
export function createRateOverride(db: Db, input: CreateRateOverrideInput): Promise<RateOverride> {
  return inTransaction(db, async (trx) => {
    const keys = scopeKeys(input);
    const effectiveFrom = requireDate(input.effectiveFrom, 'effectiveFrom');
    const currency = await overrideCurrency(trx, input.scope, keys, input.currency);
    if (keys.resource_id) {
      const resource = await trx.selectFrom('psa.resources').select('id').where('id', '=', keys.resource_id).executeTakeFirst();
      if (!resource) throw notFound('Resource', keys.resource_id);
    }
    const rateMinor = requireMoney(input.rate, currency, 'rate');
    // The parent row is locked by overrideCurrency, so this check and the insert cannot interleave with a twin.
    // Currency is part of the key: a customer billed in two currencies has one override history per currency.
    let dup = trx
      .selectFrom('psa.rate_overrides')
      .selectAll()
      .where('scope', '=', input.scope)
      .where('currency', '=', currency)
      .where('effective_from', '=', effectiveFrom);
    for (const column of ['project_id', 'customer_id', 'resource_id', 'role'] as const) {
      const v = keys[column];
      dup = v === null ? dup.where(column, 'is', null) : dup.where(column, '=', v);
    }
    const existing = await dup.executeTakeFirst();
    if (existing) {
      if (existing.rate_minor === rateMinor) return existing;
      throw appError(
        'DUPLICATE',
        `An override ${existing.id} for the same ${input.scope} keys is already effective from ${effectiveFrom}; add one with a later date instead`,
        {
          field: 'effectiveFrom',
          existingId: existing.id,
        },
      );
    }
    return trx
      .insertInto('psa.rate_overrides')
      .values({ id: newId('rov'), scope: input.scope, ...keys, rate_minor: rateMinor, currency, effective_from: effectiveFrom })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

type Keys = { project_id: string | null; customer_id: string | null; resource_id: string | null; role: string | null };

function scopeKeys(input: CreateRateOverrideInput): Keys {
  const wanted = SCOPE_KEYS[input.scope];
  for (const field of ALL_KEYS) {
    const given = input[field] != null && input[field] !== '';
    if (wanted.includes(field) && !given) throw badInput(`A ${input.scope} override needs ${field}`, field);
    if (!wanted.includes(field) && given) throw badInput(`A ${input.scope} override does not take ${field}`, field);
  }
  const text = (f: KeyField) => (wanted.includes(f) ? requireText(input[f], f) : null);
  return { project_id: text('projectId'), customer_id: text('customerId'), resource_id: text('resourceId'), role: text('role') };
}

async function overrideCurrency(trx: Trx, scope: RateOverrideScope, keys: Keys, given: string | null | undefined): Promise<string> {
  if (scope === 'CUSTOMER_ROLE') {
    const ref = await trx
      .selectFrom('psa.customer_refs')
      .selectAll()
      .where('customer_id', '=', keys.customer_id!)
      .forUpdate()
      .executeTakeFirst();
    if (!ref)
      throw appError('NOT_FOUND', `Customer ${keys.customer_id} has no customer reference in the PSA; upsert it from the ERP first`, {
        field: 'customerId',
        type: 'Customer',
        id: keys.customer_id,
      });
    if (given == null && !ref.currency)
      throw badInput(`Customer ${ref.customer_id} has no currency; give the override's currency`, 'currency');
    return requireCurrency(given ?? ref.currency, 'currency');
  }
  const project = await trx
    .selectFrom('psa.projects')
    .select(['id', 'currency'])
    .where('id', '=', keys.project_id!)
    .forUpdate()
    .executeTakeFirst();
  if (!project) throw notFound('Project', keys.project_id!);
  if (given != null && requireCurrency(given, 'currency') !== project.currency) {
    throw appError('CURRENCY_MISMATCH', `Project ${project.id} is in ${project.currency}; its overrides cannot be in ${given}`, {
      field: 'currency',
      expected: project.currency,
      got: given,
    });
  }
  return project.currency;
}
