import { type Kysely, sql, type Transaction } from 'kysely';
import { anyOf, inTransaction } from '../../../lib/db.ts';
import { appError, badInput, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { defaultMapping, type Mapping } from '../../../lib/mapping.ts';
import { applyBasisPoints, formatMoney } from '../../../lib/money.ts';
import { requireDate } from '../../../lib/validate.ts';
import type { Account, BillableItem, BillingDatabase, Invoice, InvoiceLinesTable, Rule } from '../data/tables.ts';
import { hoursDecimal, requireTaxRate } from './validate.ts';

type Db = Kysely<BillingDatabase>;
type Trx = Transaction<BillingDatabase>;

export type DraftInvoiceInput = {
  projectId: string;
  /** Last work date billed. */
  through: string;
  /**
   * Deprecated: the rate comes from the customer's tax code in the mapping file, not from the caller
   * (a caller's rate used to be taken as it was). When sent it must be that rate (BAD_USER_INPUT).
   */
  taxRateBp?: number | null;
};

/** Tax code -> rate, as the mapping file has them (mapping.taxCodes). */
export type TaxRates = Mapping['taxCodes'];

/** The rate of the customer's tax code; a caller's `taxRateBp`, if any, must agree with it. */
function taxRateOf(taxRates: TaxRates, account: Account, asked: number | null | undefined): number {
  const code = account.tax_code;
  const t = Object.hasOwn(taxRates, code) ? taxRates[code] : undefined;
  if (!t)
    throw appError('NOT_FOUND', `Tax code ${code} of customer ${account.customer_id} is not in the mapping file`, {
      type: 'TaxCode',
      id: code,
      field: 'taxCode',
    });
  if (asked != null && requireTaxRate(asked) !== t.rateBp)
    throw badInput(`taxRateBp ${asked} is not the rate ${t.rateBp} of customer ${account.customer_id}'s tax code ${code}`, 'taxRateBp');
  return t.rateBp;
}

/**
 * Puts every UNBILLED item of a T&M project with work date up to `through` and an amount above zero
 * on one new DRAFT invoice: one TIME line per (role, rate), its amount the exact sum of its items, its
 * tax the amount times the rate of the customer's tax code (mapping file) rounded half up; the items
 * become INVOICED and point at their line. The items are locked, so two concurrent runs cannot bill
 * the same item twice. Items of amount zero (time past a cap) are never invoiced: an invoice of zero
 * took a number and could not post; the billing run writes them off instead.
 *
 * Errors: NOT_FOUND (no billing rule, no billing account, unmapped tax code), BAD_USER_INPUT (not a
 * T&M project, nothing to bill, bad date, a tax rate other than the customer's).
 */
export function createDraftInvoice(db: Db, input: DraftInvoiceInput, taxRates: TaxRates = defaultMapping().taxCodes): Promise<Invoice> {
  return createDraftInvoices(db, [input], taxRates).then((r) => r[0]!);
}

/**
 * `createDraftInvoice` for many projects in a fixed number of statements (a billing cycle's batch),
 * all or nothing: the first input that breaks a rule throws its error and nothing is written.
 * Results follow the order of `inputs`; a project may appear once.
 */
export function createDraftInvoices(
  db: Db,
  inputs: readonly DraftInvoiceInput[],
  taxRates: TaxRates = defaultMapping().taxCodes,
): Promise<Invoice[]> {
  return inTransaction(db, async (trx) => {
    if (inputs.length === 0) return [];
    const checked = inputs.map((input) => ({
      projectId: input.projectId,
      through: requireDate(input.through, 'through'),
      taxRateBp: input.taxRateBp,
    }));
    const projectIds = checked.map((c) => c.projectId);
    if (new Set(projectIds).size !== projectIds.length)
      throw badInput('A project appears twice in one batch of draft invoices', 'projectId');
    // Locked in project order, so overlapping batches queue instead of deadlocking.
    const rules = new Map(
      (
        await trx
          .selectFrom('billing.rules')
          .selectAll()
          .where('project_id', '=', anyOf(projectIds))
          .orderBy('project_id')
          .forUpdate()
          .execute()
      ).map((r) => [r.project_id, r]),
    );
    for (const c of checked) {
      const rule = rules.get(c.projectId);
      if (!rule)
        throw appError('NOT_FOUND', `Project ${c.projectId} has no billing rule`, {
          type: 'BillingRule',
          id: c.projectId,
          field: 'projectId',
        });
      if (rule.billing_model !== 'TIME_AND_MATERIALS') {
        throw badInput(
          `Project ${rule.project_id} bills ${rule.billing_model}; draft invoices from time are for TIME_AND_MATERIALS projects`,
          'projectId',
        );
      }
    }
    const accounts = await accountsOf(trx, [...rules.values()]);
    const due = (
      await sql<BillableItem>`
        select i.* from billing.billable_items i
          join jsonb_to_recordset(${JSON.stringify(checked.map((c) => ({ project_id: c.projectId, through: c.through })))}::jsonb) as x(project_id text, through date)
            on x.project_id = i.project_id
         where i.status = 'UNBILLED' and i.work_date <= x.through and i.amount_minor > 0
         order by i.project_id, i.work_date, i.id
           for update of i`.execute(trx)
    ).rows;
    const itemsOf = new Map<string, BillableItem[]>();
    for (const it of due) itemsOf.set(it.project_id, [...(itemsOf.get(it.project_id) ?? []), it]);
    const drafts = checked.map((c) => {
      const rule = rules.get(c.projectId)!;
      const account = accounts.get(rule.customer_id)!;
      const taxRateBp = taxRateOf(taxRates, account, c.taxRateBp);
      const items = itemsOf.get(c.projectId) ?? [];
      if (items.length === 0)
        throw appError('BAD_USER_INPUT', `nothing to bill: project ${rule.project_id} has no unbilled items up to ${c.through}`, {
          field: 'through',
          projectId: rule.project_id,
          through: c.through,
        });
      const invoiceId = newId('inv');
      const groups = groupItems(items);
      const lines = groups.map((g, i) => {
        const minutes = g.items.reduce((s, it) => s + it.minutes, 0);
        const amount = g.items.reduce((s, it) => s + it.amount_minor, 0);
        const hours = hoursDecimal(minutes);
        return {
          id: newId('inl'),
          invoice_id: invoiceId,
          line_no: i + 1,
          kind: 'TIME' as const,
          description: `${g.role ?? 'Time'}: ${hours} h at ${formatMoney(g.rate, rule.currency)} ${rule.currency}/h`,
          quantity: hours,
          unit_price_minor: g.rate,
          amount_minor: amount,
          tax_code: account.tax_code,
          tax_rate_bp: taxRateBp,
          tax_minor: applyBasisPoints(amount, taxRateBp),
          service_line: rule.service_line,
          milestone_id: null,
        };
      });
      const itemLines = groups.flatMap((g, i) => g.items.map((it) => ({ id: it.id, line: lines[i]!.id })));
      return { draft: { id: invoiceId, rule, lines, periodStart: items[0]!.work_date, periodEnd: c.through }, itemLines };
    });
    const invoices = await insertDrafts(
      trx,
      drafts.map((d) => d.draft),
    );
    await sql`
      update billing.billable_items b set status = 'INVOICED', invoice_line_id = x.line
        from jsonb_to_recordset(${JSON.stringify(drafts.flatMap((d) => d.itemLines))}::jsonb) as x(id text, line text)
       where b.id = x.id`.execute(trx);
    return invoices;
  });
}

export type MilestoneInvoiceInput = {
  milestoneId: string;
  /** Deprecated, as for draft invoices: the rate is the customer's tax code's; when sent it must be it. */
  taxRateBp?: number | null;
  /** The milestone must be due on or before this date (the caller's business day; see lib/clock.ts). */
  asOf: string;
};

/**
 * Puts a due PLANNED milestone on a new DRAFT invoice (one MILESTONE line) and marks it INVOICED.
 *
 * Errors: NOT_FOUND (milestone or billing account), INVALID_STATE_TRANSITION (not PLANNED),
 * BAD_USER_INPUT (not due yet, bad tax rate).
 */
export function createMilestoneInvoice(
  db: Db,
  input: MilestoneInvoiceInput,
  taxRates: TaxRates = defaultMapping().taxCodes,
): Promise<Invoice> {
  return inTransaction(db, async (trx) => {
    const asOf = requireDate(input.asOf, 'asOf');
    const milestone = await trx
      .selectFrom('billing.milestones')
      .selectAll()
      .where('id', '=', input.milestoneId)
      .forUpdate()
      .executeTakeFirst();
    if (!milestone) throw notFound('Milestone', input.milestoneId);
    if (milestone.status !== 'PLANNED') {
      throw appError('INVALID_STATE_TRANSITION', `Milestone ${milestone.id} is ${milestone.status}; only PLANNED milestones are invoiced`, {
        from: milestone.status,
        to: 'INVOICED',
      });
    }
    if (milestone.due_date > asOf) throw badInput(`Milestone ${milestone.id} is not due until ${milestone.due_date}`, 'milestoneId');
    const rule = await trx.selectFrom('billing.rules').selectAll().where('project_id', '=', milestone.project_id).executeTakeFirstOrThrow();
    const account = await accountOf(trx, rule);
    const taxRateBp = taxRateOf(taxRates, account, input.taxRateBp);
    const invoiceId = newId('inv');
    const line = {
      id: newId('inl'),
      invoice_id: invoiceId,
      line_no: 1,
      // A fixed-fee contract's instalments are milestones of its schedule, billed as the fee they are.
      kind: rule.billing_model === 'FIXED_FEE' ? ('FIXED_FEE' as const) : ('MILESTONE' as const),
      description: milestone.name,
      quantity: '1.00',
      unit_price_minor: milestone.amount_minor,
      amount_minor: milestone.amount_minor,
      tax_code: account.tax_code,
      tax_rate_bp: taxRateBp,
      tax_minor: applyBasisPoints(milestone.amount_minor, taxRateBp),
      service_line: rule.service_line,
      milestone_id: milestone.id,
    };
    const invoice = await insertDraft(trx, invoiceId, rule, [line], milestone.due_date, milestone.due_date);
    await trx.updateTable('billing.milestones').set({ status: 'INVOICED' }).where('id', '=', milestone.id).execute();
    return invoice;
  });
}

async function accountOf(trx: Trx, rule: Rule): Promise<Account> {
  return (await accountsOf(trx, [rule])).get(rule.customer_id)!;
}

/** The billing accounts of the rules' customers; NOT_FOUND names the first customer without one. */
async function accountsOf(trx: Trx, rules: readonly Rule[]): Promise<Map<string, Account>> {
  const accounts = new Map(
    (
      await trx
        .selectFrom('billing.accounts')
        .selectAll()
        .where('customer_id', '=', anyOf(new Set(rules.map((r) => r.customer_id))))
        .execute()
    ).map((a) => [a.customer_id, a]),
  );
  const missing = rules.find((r) => !accounts.has(r.customer_id));
  if (missing)
    throw appError('NOT_FOUND', `Customer ${missing.customer_id} has no billing account (erp financial master)`, {
      type: 'BillingAccount',
      id: missing.customer_id,
    });
  return accounts;
}

type Group = { role: string | null; rate: number; items: BillableItem[] };

/** Items by (role, rate), in role then rate order, so the same items always give the same lines. */
function groupItems(items: BillableItem[]): Group[] {
  const groups = new Map<string, Group>();
  for (const it of items) {
    const key = JSON.stringify([it.role, it.rate_minor]);
    const g = groups.get(key);
    if (g) g.items.push(it);
    else groups.set(key, { role: it.role, rate: it.rate_minor, items: [it] });
  }
  return [...groups.values()].sort((a, b) =>
    (a.role ?? '') < (b.role ?? '') ? -1 : (a.role ?? '') > (b.role ?? '') ? 1 : a.rate - b.rate,
  );
}

type NewLine = Omit<InvoiceLinesTable, 'credited_minor'>;

type Draft = { id: string; rule: Rule; lines: NewLine[]; periodStart: string; periodEnd: string };

async function insertDraft(trx: Trx, id: string, rule: Rule, lines: NewLine[], periodStart: string, periodEnd: string): Promise<Invoice> {
  return (await insertDrafts(trx, [{ id, rule, lines, periodStart, periodEnd }]))[0]!;
}

/** Inserts DRAFT invoices and their lines in two statements; results in input order. */
async function insertDrafts(trx: Trx, drafts: readonly Draft[]): Promise<Invoice[]> {
  const rows = drafts.map(({ id, rule, lines, periodStart, periodEnd }) => {
    const subtotal = lines.reduce((s, l) => s + l.amount_minor, 0);
    const tax = lines.reduce((s, l) => s + l.tax_minor, 0);
    return {
      id,
      number: null,
      legal_entity_id: rule.legal_entity_id,
      customer_id: rule.customer_id,
      project_id: rule.project_id,
      contract_id: rule.contract_id,
      currency: rule.currency,
      status: 'DRAFT' as const,
      issue_date: null,
      due_date: null,
      period_start: periodStart,
      period_end: periodEnd,
      subtotal_minor: subtotal,
      tax_minor: tax,
      total_minor: subtotal + tax,
      issued_at: null,
    };
  });
  const inserted = new Map((await trx.insertInto('billing.invoices').values(rows).returningAll().execute()).map((i) => [i.id, i]));
  await trx
    .insertInto('billing.invoice_lines')
    .values(drafts.flatMap((d) => d.lines))
    .execute();
  return drafts.map((d) => inserted.get(d.id)!);
}
