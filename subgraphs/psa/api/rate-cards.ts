import { inTransaction } from '../../../lib/db.ts';
import { appError, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { formatMoney } from '../../../lib/money.ts';
import { requireCurrency, requireDate, requireMoney, requireText } from '../../../lib/validate.ts';
import type { Db } from '../data/db.ts';
import type { RateCard, RateCardRate } from '../data/tables.ts';

export type RateCardRateInput = { role: string; rate: string; effectiveFrom: string };
export type CreateRateCardInput = { id?: string | null; name: string; currency: string; rates?: RateCardRateInput[] | null };
export type AddRateCardRateInput = RateCardRateInput & { rateCardId: string };

/**
 * Creates a rate card and its role rates. With an `id` that already exists, returns that card
 * unchanged, so a sync job that derives the id from its source can replay safely.
 */
export function createRateCard(db: Db, input: CreateRateCardInput): Promise<RateCard> {
  return inTransaction(db, async (trx) => {
    if (input.id) {
      const existing = await trx.selectFrom('psa.rate_cards').selectAll().where('id', '=', input.id).executeTakeFirst();
      if (existing) return existing;
    }
    const currency = requireCurrency(input.currency, 'currency');
    const id = input.id ?? newId('rc');
    const seen = new Set<string>();
    const rates = (input.rates ?? []).map((r, i) => {
      const role = requireText(r.role, `rates[${i}].role`);
      const effectiveFrom = requireDate(r.effectiveFrom, `rates[${i}].effectiveFrom`);
      const key = `${role}|${effectiveFrom}`;
      if (seen.has(key))
        throw appError('DUPLICATE', `Role ${role} has two rates effective from ${effectiveFrom}`, { field: `rates[${i}]` });
      seen.add(key);
      return {
        id: newId('rcr'),
        rate_card_id: id,
        role,
        rate_minor: requireMoney(r.rate, currency, `rates[${i}].rate`),
        effective_from: effectiveFrom,
      };
    });
    const card = await trx
      .insertInto('psa.rate_cards')
      .values({ id, name: requireText(input.name, 'name'), currency })
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    // Lost a race with a concurrent create of the same id: that one's card is the result.
    if (!card) return trx.selectFrom('psa.rate_cards').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    if (rates.length) await trx.insertInto('psa.rate_card_rates').values(rates).execute();
    return card;
  });
}

/**
 * Adds a role's rate from a date on. The same role, date and rate again returns the existing rate
 * (idempotent); a different rate for a role and date that already have one is DUPLICATE: a rate
 * history is changed by adding a later rate, never by rewriting one that may have priced time.
 */
export function addRateCardRate(db: Db, input: AddRateCardRateInput): Promise<RateCardRate> {
  return inTransaction(db, async (trx) => {
    const card = await trx.selectFrom('psa.rate_cards').selectAll().where('id', '=', input.rateCardId).executeTakeFirst();
    if (!card) throw notFound('RateCard', input.rateCardId);
    const values = {
      id: newId('rcr'),
      rate_card_id: card.id,
      role: requireText(input.role, 'role'),
      rate_minor: requireMoney(input.rate, card.currency, 'rate'),
      effective_from: requireDate(input.effectiveFrom, 'effectiveFrom'),
    };
    const inserted = await trx
      .insertInto('psa.rate_card_rates')
      .values(values)
      .onConflict((oc) => oc.columns(['rate_card_id', 'role', 'effective_from']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return inserted;
    const existing = await trx
      .selectFrom('psa.rate_card_rates')
      .selectAll()
      .where('rate_card_id', '=', card.id)
      .where('role', '=', values.role)
      .where('effective_from', '=', values.effective_from)
      .executeTakeFirstOrThrow();
    if (existing.rate_minor !== values.rate_minor) {
      throw appError(
        'DUPLICATE',
        `Role ${values.role} already has the rate ${formatMoney(existing.rate_minor, card.currency)} ${card.currency} from ${values.effective_from} on rate card ${card.id}`,
        {
          field: 'effectiveFrom',
        },
      );
    }
    return existing;
  });
}
