import { type Kysely, sql } from 'kysely';
import { anyOf, inTransaction } from '../../../lib/db.ts';
import { appError, badInput } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { amountForMinutes } from '../../../lib/money.ts';
import { requireCurrency, requireDate, requireText } from '../../../lib/validate.ts';
import type { BillableItem, BillingDatabase, RoundingMode, Rule, SourceType } from '../data/tables.ts';
import { requireMinor } from './validate.ts';

type Db = Kysely<BillingDatabase>;

/**
 * Rounds recorded minutes to the contract's increment: UP to the next one, DOWN to the previous one,
 * NEAREST with halves going up. An increment of 1 leaves minutes as they are.
 */
export function roundMinutes(minutes: number, increment: number, mode: RoundingMode): number {
  if (!Number.isInteger(minutes) || minutes < 0) throw new RangeError(`minutes must be a non-negative integer, got ${minutes}`);
  if (!Number.isInteger(increment) || increment < 1) throw new RangeError(`increment must be a positive integer, got ${increment}`);
  const whole = Math.floor(minutes / increment) * increment;
  const rest = minutes - whole;
  if (rest === 0 || mode === 'DOWN') return whole;
  if (mode === 'UP') return whole + increment;
  return rest * 2 >= increment ? whole + increment : whole;
}

/**
 * Cuts amounts so that, added to `used`, they never pass `cap`: amounts are taken in order, the one
 * that crosses the cap is reduced to exactly what is left, later ones become 0.
 */
export function applyCap(amounts: readonly number[], used: number, cap: number): number[] {
  let left = Math.max(cap - used, 0);
  return amounts.map((a) => {
    const billed = Math.min(a, left);
    left -= billed;
    return billed;
  });
}

export type BillableItemInput = {
  sourceType?: SourceType | null;
  sourceId: string;
  projectId: string;
  customerId: string;
  resourceId: string;
  role?: string | null;
  workDate: string;
  /** Minutes recorded in the source system. */
  sourceMinutes: number;
  /** Minutes billed after rounding; when absent, the project's rule rounds `sourceMinutes`. */
  minutes?: number | null;
  /** Hourly rate in minor units of `currency`. */
  rateMinor: number;
  rateSource: string;
  currency: string;
};

/**
 * Creates billable items from approved time, once per source: an item whose (sourceType, sourceId)
 * exists is left as it is (ON CONFLICT DO NOTHING), so a replayed sync changes nothing. Returns the
 * item of every input, new or existing, in input order.
 *
 * amount = rate x billed minutes, rounded half up to the minor unit. With a T&M cap, the sum of the
 * project's live items (UNBILLED and INVOICED; credited and written-off time is not charged) never
 * passes the cap: new items are taken by work date then source id, the one crossing the cap is cut
 * so the total hits it exactly, later ones get amount 0 (they stay, so the time is accounted for).
 * The rule row is locked, so concurrent batches of one project cannot both take the last of the cap.
 *
 * Errors: NOT_FOUND (project without billing rule), CURRENCY_MISMATCH (item currency is not the
 * rule's), BAD_USER_INPUT (customer is not the project's, unknown source type, bad date),
 * INVALID_HOURS, INVALID_MONEY.
 */
export function createBillableItems(db: Db, items: readonly BillableItemInput[]): Promise<BillableItem[]> {
  return inTransaction(db, async (trx) => {
    if (items.length === 0) return [];
    items.forEach(validateItem);
    const projectIds = [...new Set(items.map((i) => i.projectId))].sort();
    const rules = new Map(
      (await trx.selectFrom('billing.rules').selectAll().where('project_id', '=', anyOf(projectIds)).execute()).map((r) => [
        r.project_id,
        r,
      ]),
    );
    // Only a cap depends on the project's other items, so only capped projects are locked: concurrent
    // batches then apply the cap one after another. Uncapped projects take items in parallel (a
    // month-end approves thousands of timesheets at once). Locked in a fixed order: no deadlocks.
    const capped = projectIds.filter((p) => rules.get(p)?.cap_minor != null);
    if (capped.length) {
      for (const r of await trx
        .selectFrom('billing.rules')
        .selectAll()
        .where('project_id', '=', anyOf(capped))
        .orderBy('project_id')
        .forUpdate()
        .execute())
        rules.set(r.project_id, r);
    }
    const minutesOf = items.map((item, i) => billedMinutes(item, i, rules.get(item.projectId)));
    const sourceIds = [...new Set(items.map((i) => i.sourceId))];
    const existing = new Set(
      (
        await trx
          .selectFrom('billing.billable_items')
          .select('source_id')
          .where('source_type', '=', 'TIME_ENTRY')
          .where('source_id', '=', anyOf(sourceIds))
          .execute()
      ).map((r) => r.source_id),
    );
    const fresh = new Map<string, { input: BillableItemInput; minutes: number }>();
    items.forEach((input, i) => {
      if (!existing.has(input.sourceId) && !fresh.has(input.sourceId)) fresh.set(input.sourceId, { input, minutes: minutesOf[i] });
    });
    const amounts = await cappedAmounts(trx, [...fresh.values()], rules);
    const bySource = new Map<string, BillableItem>();
    if (fresh.size) {
      const inserted = await trx
        .insertInto('billing.billable_items')
        .values(
          [...fresh.values()].map(({ input, minutes }) => ({
            id: newId('bil'),
            source_type: 'TIME_ENTRY' as const,
            source_id: input.sourceId,
            project_id: input.projectId,
            customer_id: input.customerId,
            resource_id: input.resourceId,
            role: input.role ?? null,
            work_date: input.workDate,
            source_minutes: input.sourceMinutes,
            minutes,
            rate_minor: input.rateMinor,
            rate_source: input.rateSource,
            amount_minor: amounts.get(input.sourceId)!,
            currency: input.currency,
          })),
        )
        .onConflict((oc) => oc.columns(['source_type', 'source_id']).doNothing())
        .returningAll()
        .execute();
      for (const r of inserted) bySource.set(r.source_id, r);
    }
    // Items that existed before (or were inserted concurrently) are read back; fresh ones came back from the insert.
    const others = sourceIds.filter((id) => !bySource.has(id));
    if (others.length) {
      for (const r of await trx
        .selectFrom('billing.billable_items')
        .selectAll()
        .where('source_type', '=', 'TIME_ENTRY')
        .where('source_id', '=', anyOf(others))
        .execute())
        bySource.set(r.source_id, r);
    }
    return items.map((i) => bySource.get(i.sourceId)!);
  });
}

function validateItem(item: BillableItemInput, i: number): void {
  const f = (name: string) => `items[${i}].${name}`;
  if ((item.sourceType ?? 'TIME_ENTRY') !== 'TIME_ENTRY')
    throw badInput(`${f('sourceType')}: only TIME_ENTRY sources are billed`, f('sourceType'));
  requireText(item.sourceId, f('sourceId'));
  requireText(item.projectId, f('projectId'));
  requireText(item.customerId, f('customerId'));
  requireText(item.resourceId, f('resourceId'));
  requireText(item.rateSource, f('rateSource'));
  requireDate(item.workDate, f('workDate'));
  requireCurrency(item.currency, f('currency'));
  requireMinor(item.rateMinor, f('rate'), true);
  if (!Number.isInteger(item.sourceMinutes) || item.sourceMinutes <= 0 || item.sourceMinutes > 24 * 60) {
    throw appError('INVALID_HOURS', `${f('sourceMinutes')} must be whole minutes from 1 to 1440, got ${item.sourceMinutes}`, {
      field: f('sourceMinutes'),
    });
  }
  if (item.minutes != null && (!Number.isInteger(item.minutes) || item.minutes < 0 || item.minutes > 24 * 60)) {
    throw appError('INVALID_HOURS', `${f('minutes')} must be whole minutes from 0 to 1440, got ${item.minutes}`, { field: f('minutes') });
  }
}

function billedMinutes(item: BillableItemInput, i: number, rule: Rule | undefined): number {
  if (!rule)
    throw appError('NOT_FOUND', `Project ${item.projectId} has no billing rule`, {
      type: 'BillingRule',
      id: item.projectId,
      field: `items[${i}].projectId`,
    });
  if (item.currency !== rule.currency) {
    throw appError('CURRENCY_MISMATCH', `items[${i}] is in ${item.currency}, project ${rule.project_id} bills in ${rule.currency}`, {
      field: `items[${i}].currency`,
      expected: rule.currency,
    });
  }
  if (item.customerId !== rule.customer_id) {
    throw badInput(`items[${i}].customerId ${item.customerId} is not the customer of project ${rule.project_id}`, `items[${i}].customerId`);
  }
  return item.minutes ?? roundMinutes(item.sourceMinutes, rule.rounding_increment_minutes, rule.rounding_mode);
}

/** Amounts of the new items by source id, cut to each capped project's remaining cap. */
async function cappedAmounts(
  trx: Db,
  fresh: { input: BillableItemInput; minutes: number }[],
  rules: Map<string, Rule>,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const { input, minutes } of fresh) out.set(input.sourceId, amountForMinutes(input.rateMinor, minutes));
  const capped = [...new Set(fresh.map((f) => f.input.projectId))].filter((p) => rules.get(p)!.cap_minor != null);
  if (capped.length === 0) return out;
  const usedRows = await trx
    .selectFrom('billing.billable_items')
    .select(['project_id', sql<number>`sum(amount_minor)::bigint`.as('used')])
    .where('project_id', '=', anyOf(capped))
    .where('status', 'in', ['UNBILLED', 'INVOICED'])
    .groupBy('project_id')
    .execute();
  const used = new Map(usedRows.map((r) => [r.project_id, r.used]));
  for (const projectId of capped) {
    const ordered = fresh
      .filter((f) => f.input.projectId === projectId)
      .sort((a, b) => compare(a.input.workDate, b.input.workDate) || compare(a.input.sourceId, b.input.sourceId));
    const cut = applyCap(
      ordered.map((f) => out.get(f.input.sourceId)!),
      used.get(projectId) ?? 0,
      rules.get(projectId)!.cap_minor!,
    );
    for (const [i, f] of ordered.entries()) out.set(f.input.sourceId, cut[i]);
  }
  return out;
}

/** Code-point order: the cap's order of items must not depend on the server's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
