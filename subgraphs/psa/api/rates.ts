/**
 * # Rate resolution (a business rule of the PSA)
 *
 * The hourly rate of a resource's work on a project on a date is the first rate found in this order,
 * most specific first:
 *
 * 1. ENTRY_OVERRIDE   - a rate given on the time entry itself (`entryOverrideMinor`), in the project
 *                       currency. It always wins, whatever the date.
 * 2. PROJECT_RESOURCE - a rate override for this resource on this project.
 * 3. PROJECT_ROLE     - a rate override for the role on this project.
 * 4. CUSTOMER_ROLE    - a rate override for the role on every project of the project's customer.
 * 5. RATE_CARD        - the role's default rate on the project's rate card.
 *
 * The role is the one asked for, or else the resource's default role. Rule 2 ignores the role: it
 * prices the person, whatever they do on the project.
 *
 * Effective dates: rules 2 to 5 are histories. Within one rule, only rows with
 * `effective_from <= date` count, and the one with the latest `effective_from` wins (a rate applies
 * from its date until the next rate of the same key). A rule whose rows all start after the date is
 * skipped, and the next, less specific rule is tried. Two overrides of one key on the same date
 * cannot be created through the API; should imported data hold them, the most recently created wins
 * (ids sort by creation time).
 *
 * Currency: a project has one currency, and its rate card must use it (createProject enforces it).
 * Project overrides are created in it too. A customer+role override in another currency than the
 * project's is not a rate for that project and is skipped, so no amount is ever silently converted.
 *
 * No rule has a rate: NOT_FOUND with `field: 'rate'`. Unknown project or resource: NOT_FOUND naming it.
 *
 * Rate card and override changes apply to whatever is priced after them: sync prices unbilled time
 * only, so billed amounts never move (docs/sync.md, RATE_CARD_CHANGED).
 *
 * docs/rates.md explains the same rule with a worked example; keep the two in step.
 */
import type { GraphQLError } from 'graphql';
import { type Kysely, sql, type Transaction } from 'kysely';
import { appError, badInput, notFound } from '../../../lib/errors.ts';
import { isIsoDate } from '../../../lib/scalars.ts';
import type { PsaDatabase } from '../data/tables.ts';

type Db = Kysely<PsaDatabase> | Transaction<PsaDatabase>;

export type RateSource = 'ENTRY_OVERRIDE' | 'PROJECT_RESOURCE' | 'PROJECT_ROLE' | 'CUSTOMER_ROLE' | 'RATE_CARD';

export type RateRequest = {
  projectId: string;
  resourceId: string;
  /** Defaults to the resource's role. */
  role?: string | null;
  /** The work date, YYYY-MM-DD. */
  date: string;
  /** A rate given on the time entry, in minor units of the project currency. */
  entryOverrideMinor?: number | null;
};

export type ResolvedRate = {
  rateMinor: number;
  currency: string;
  source: RateSource;
  role: string;
  date: string;
  /** First day of the winning rate; null for an entry override. */
  effectiveFrom: string | null;
  projectId: string;
  resourceId: string;
};

type CandidateRow = {
  i: number;
  project_id: string | null;
  currency: string | null;
  resource_id: string | null;
  role: string | null;
  pr_rate: number | null;
  pr_from: string | null;
  prole_rate: number | null;
  prole_from: string | null;
  cr_rate: number | null;
  cr_from: string | null;
  rc_rate: number | null;
  rc_from: string | null;
};

/** The rules after the entry override, in resolution order, with the columns the query returns for each. */
const RULES = [
  ['PROJECT_RESOURCE', 'pr_rate', 'pr_from'],
  ['PROJECT_ROLE', 'prole_rate', 'prole_from'],
  ['CUSTOMER_ROLE', 'cr_rate', 'cr_from'],
  ['RATE_CARD', 'rc_rate', 'rc_from'],
] as const;

/**
 * Resolves many rates at once with a single SQL statement, however many requests: each request
 * becomes a row of an `unnest`ed array, and each rule a lateral lookup that takes its latest
 * effective row through an index. Results come back in request order; a request that cannot be
 * resolved gets its error in its place instead of failing the whole batch, so a sync job pricing
 * thousands of entries can report exactly which ones need master-data fixes.
 */
export async function resolveRates(db: Db, requests: readonly RateRequest[]): Promise<(ResolvedRate | GraphQLError)[]> {
  const results: (ResolvedRate | GraphQLError | undefined)[] = requests.map(validateRequest);
  const pending = requests.map((_, i) => i).filter((i) => results[i] === undefined);
  if (pending.length === 0) return results as (ResolvedRate | GraphQLError)[];
  const at = (f: (r: RateRequest) => unknown) => pending.map((i) => f(requests[i]!));
  const { rows } = await sql<CandidateRow>`
    with req as (
      select * from unnest(${pending}::int[], ${at((r) => r.projectId)}::text[], ${at((r) => r.resourceId)}::text[],
                           ${at((r) => r.role ?? null)}::text[], ${at((r) => r.date)}::date[])
        as t(i, project_id, resource_id, role, work_date)
    )
    select req.i, p.id as project_id, p.currency, res.id as resource_id, x.role,
           pr.rate_minor as pr_rate, pr.effective_from as pr_from,
           prole.rate_minor as prole_rate, prole.effective_from as prole_from,
           cr.rate_minor as cr_rate, cr.effective_from as cr_from,
           rc.rate_minor as rc_rate, rc.effective_from as rc_from
    from req
    left join psa.projects p on p.id = req.project_id
    left join psa.resources res on res.id = req.resource_id
    cross join lateral (select coalesce(req.role, res.role) as role) x
    left join lateral (
      select o.rate_minor, o.effective_from from psa.rate_overrides o
      where o.scope = 'PROJECT_RESOURCE' and o.project_id = p.id and o.resource_id = res.id
        and o.currency = p.currency and o.effective_from <= req.work_date
      order by o.effective_from desc, o.id desc limit 1) pr on true
    left join lateral (
      select o.rate_minor, o.effective_from from psa.rate_overrides o
      where o.scope = 'PROJECT_ROLE' and o.project_id = p.id and o.role = x.role
        and o.currency = p.currency and o.effective_from <= req.work_date
      order by o.effective_from desc, o.id desc limit 1) prole on true
    left join lateral (
      select o.rate_minor, o.effective_from from psa.rate_overrides o
      where o.scope = 'CUSTOMER_ROLE' and o.customer_id = p.customer_id and o.role = x.role
        and o.currency = p.currency and o.effective_from <= req.work_date
      order by o.effective_from desc, o.id desc limit 1) cr on true
    left join lateral (
      select r.rate_minor, r.effective_from from psa.rate_card_rates r
      where r.rate_card_id = p.rate_card_id and r.role = x.role and r.effective_from <= req.work_date
      order by r.effective_from desc limit 1) rc on true`.execute(db);
  for (const row of rows) results[row.i] = pick(requests[row.i]!, row);
  return results as (ResolvedRate | GraphQLError)[];
}

/** One rate; throws NOT_FOUND (field `rate`) when no rule has one. See the rules at the top of this file. */
export async function resolveRate(db: Db, request: RateRequest): Promise<ResolvedRate> {
  const [result] = await resolveRates(db, [request]);
  if (result instanceof Error) throw result;
  return result!;
}

function validateRequest(r: RateRequest): GraphQLError | undefined {
  if (!isIsoDate(r.date)) return badInput(`date must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(r.date)}`, 'date');
  const o = r.entryOverrideMinor;
  if (o != null && (!Number.isSafeInteger(o) || o < 0))
    return appError('INVALID_MONEY', 'The entry override rate must be a non-negative amount', { field: 'entryOverride' });
  return undefined;
}

function pick(req: RateRequest, row: CandidateRow): ResolvedRate | GraphQLError {
  if (!row.project_id || !row.currency) return notFound('Project', req.projectId);
  if (!row.resource_id || !row.role) return notFound('Resource', req.resourceId);
  const base = { currency: row.currency, role: row.role, date: req.date, projectId: row.project_id, resourceId: row.resource_id };
  if (req.entryOverrideMinor != null) return { ...base, rateMinor: req.entryOverrideMinor, source: 'ENTRY_OVERRIDE', effectiveFrom: null };
  for (const [source, rateColumn, fromColumn] of RULES) {
    const rate = row[rateColumn];
    if (rate !== null) return { ...base, rateMinor: rate, source, effectiveFrom: row[fromColumn] };
  }
  return appError(
    'NOT_FOUND',
    `No rate for role ${row.role} of resource ${req.resourceId} on project ${req.projectId} on ${req.date}: add a rate card rate or an override`,
    {
      field: 'rate',
      projectId: req.projectId,
      resourceId: req.resourceId,
      role: row.role,
      date: req.date,
    },
  );
}
