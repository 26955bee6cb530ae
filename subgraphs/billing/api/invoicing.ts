import type { Kysely, Transaction } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError, badInput, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { applyBasisPoints, formatMoney } from '../../../lib/money.ts';
import { requireDate } from '../../../lib/validate.ts';
import type { Account, BillableItem, BillingDatabase, Invoice, InvoiceLinesTable, Rule } from '../data/tables.ts';
import { hoursDecimal, requireTaxRate, today } from './validate.ts';

type Db = Kysely<BillingDatabase>;
type Trx = Transaction<BillingDatabase>;

export type DraftInvoiceInput = {
  projectId: string;
  /** Last work date billed. */
  through: string;
  /** Rate of the customer's tax code in basis points; tax rates live in the mapping file, so the caller passes it. */
  taxRateBp?: number;
};

/**
 * Puts every UNBILLED item of a T&M project with work date up to `through` on one new DRAFT invoice:
 * one TIME line per (role, rate), its amount the exact sum of its items, its tax the amount times the
 * tax rate rounded half up; the items become INVOICED and point at their line. The items are locked,
 * so two concurrent runs cannot bill the same item twice.
 *
 * Errors: NOT_FOUND (no billing rule or no billing account), BAD_USER_INPUT (not a T&M project,
 * nothing to bill, bad date or tax rate).
 */
export function createDraftInvoice(db: Db, input: DraftInvoiceInput): Promise<Invoice> {
  return inTransaction(db, async (trx) => {
    const through = requireDate(input.through, 'through');
    const taxRateBp = requireTaxRate(input.taxRateBp ?? 0);
    const rule = await trx.selectFrom('billing.rules').selectAll().where('project_id', '=', input.projectId).forUpdate().executeTakeFirst();
    if (!rule) throw appError('NOT_FOUND', `Project ${input.projectId} has no billing rule`, { type: 'BillingRule', id: input.projectId, field: 'projectId' });
    if (rule.billing_model !== 'TIME_AND_MATERIALS') {
      throw badInput(`Project ${rule.project_id} bills ${rule.billing_model}; draft invoices from time are for TIME_AND_MATERIALS projects`, 'projectId');
    }
    const account = await accountOf(trx, rule);
    const items = await trx
      .selectFrom('billing.billable_items')
      .selectAll()
      .where('project_id', '=', rule.project_id)
      .where('status', '=', 'UNBILLED')
      .where('work_date', '<=', through)
      .orderBy('work_date')
      .orderBy('id')
      .forUpdate()
      .execute();
    if (items.length === 0) throw appError('BAD_USER_INPUT', `nothing to bill: project ${rule.project_id} has no unbilled items up to ${through}`, { field: 'through', projectId: rule.project_id, through });
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
    const invoice = await insertDraft(trx, invoiceId, rule, lines, items[0].work_date, through);
    for (const [i, line] of lines.entries()) {
      await trx
        .updateTable('billing.billable_items')
        .set({ status: 'INVOICED', invoice_line_id: line.id })
        .where('id', 'in', groups[i].items.map((it) => it.id))
        .execute();
    }
    return invoice;
  });
}

export type MilestoneInvoiceInput = {
  milestoneId: string;
  taxRateBp?: number;
  /** The milestone must be due on or before this date; default today. */
  asOf?: string | null;
};

/**
 * Puts a due PLANNED milestone on a new DRAFT invoice (one MILESTONE line) and marks it INVOICED.
 *
 * Errors: NOT_FOUND (milestone or billing account), INVALID_STATE_TRANSITION (not PLANNED),
 * BAD_USER_INPUT (not due yet, bad tax rate).
 */
export function createMilestoneInvoice(db: Db, input: MilestoneInvoiceInput): Promise<Invoice> {
  return inTransaction(db, async (trx) => {
    const taxRateBp = requireTaxRate(input.taxRateBp ?? 0);
    const asOf = requireDate(input.asOf ?? today(), 'asOf');
    const milestone = await trx.selectFrom('billing.milestones').selectAll().where('id', '=', input.milestoneId).forUpdate().executeTakeFirst();
    if (!milestone) throw notFound('Milestone', input.milestoneId);
    if (milestone.status !== 'PLANNED') {
      throw appError('INVALID_STATE_TRANSITION', `Milestone ${milestone.id} is ${milestone.status}; only PLANNED milestones are invoiced`, { from: milestone.status, to: 'INVOICED' });
    }
    if (milestone.due_date > asOf) throw badInput(`Milestone ${milestone.id} is not due until ${milestone.due_date}`, 'milestoneId');
    const rule = await trx.selectFrom('billing.rules').selectAll().where('project_id', '=', milestone.project_id).executeTakeFirstOrThrow();
    const account = await accountOf(trx, rule);
    const invoiceId = newId('inv');
    const line = {
      id: newId('inl'),
      invoice_id: invoiceId,
      line_no: 1,
      kind: 'MILESTONE' as const,
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
  const account = await trx.selectFrom('billing.accounts').selectAll().where('customer_id', '=', rule.customer_id).executeTakeFirst();
  if (!account) throw appError('NOT_FOUND', `Customer ${rule.customer_id} has no billing account (erp financial master)`, { type: 'BillingAccount', id: rule.customer_id });
  return account;
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
  return [...groups.values()].sort((a, b) => ((a.role ?? '') < (b.role ?? '') ? -1 : (a.role ?? '') > (b.role ?? '') ? 1 : a.rate - b.rate));
}

type NewLine = Omit<InvoiceLinesTable, 'credited_minor'>;

async function insertDraft(trx: Trx, id: string, rule: Rule, lines: NewLine[], periodStart: string, periodEnd: string): Promise<Invoice> {
  const subtotal = lines.reduce((s, l) => s + l.amount_minor, 0);
  const tax = lines.reduce((s, l) => s + l.tax_minor, 0);
  const invoice = await trx
    .insertInto('billing.invoices')
    .values({
      id,
      number: null,
      legal_entity_id: rule.legal_entity_id,
      customer_id: rule.customer_id,
      project_id: rule.project_id,
      contract_id: rule.contract_id,
      currency: rule.currency,
      status: 'DRAFT',
      issue_date: null,
      due_date: null,
      period_start: periodStart,
      period_end: periodEnd,
      subtotal_minor: subtotal,
      tax_minor: tax,
      total_minor: subtotal + tax,
      issued_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx.insertInto('billing.invoice_lines').values(lines).execute();
  return invoice;
}
