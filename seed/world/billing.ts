import { amountForMinutes, applyBasisPoints } from '../../lib/money.ts';
import { addMonths, at, dayStr, monthEnd, monthStart, onOrNextWeekday, parseDay, ymOf } from '../dates.ts';
import { IdSequence } from '../ids.ts';
import type {
  BillableItemRow,
  CreditMemoLineRow,
  CreditMemoRow,
  InvoiceLineKind,
  InvoiceLineRow,
  InvoiceRow,
  TimeEntryRow,
} from '../types.ts';
import { type EntryInfo, entityOf, type GenContext, type ProjectInfo, taxRateBp } from './context.ts';
import { RateResolver, roundMinutes } from './pricing.ts';
import { ROLES } from './rates.ts';

export type IssuedInvoice = { row: InvoiceRow; lines: InvoiceLineRow[]; project: ProjectInfo };
export type PaymentFact = {
  erpPaymentId: string;
  invoicePaymentId: string;
  externalRef: string;
  invoice: IssuedInvoice;
  day: number;
  amountMinor: number;
};
export type CreditMemoFact = { row: CreditMemoRow; lines: CreditMemoLineRow[]; invoice: IssuedInvoice; full: boolean };
export type BillingFacts = { invoices: IssuedInvoice[]; payments: PaymentFact[]; creditMemos: CreditMemoFact[] };

type LineDraft = {
  kind: InvoiceLineKind;
  description: string;
  quantity: string;
  unitPrice: number;
  amount: number;
  milestoneId: string | null;
  items: BillableItemRow[];
  entries: TimeEntryRow[];
};
type InvoiceDraft = {
  project: ProjectInfo;
  issueDay: number;
  periodStart: number | null;
  periodEnd: number | null;
  lines: LineDraft[];
  order: number;
};

/**
 * billing: accounts, rules, milestones, billable items for every approved billable T&M entry (priced
 * by the documented rate order, rounded per contract), monthly T&M invoices for time before the
 * billing cutoff, fixed-fee instalments, milestone invoices, gap-free numbers, payments and two credit
 * memos. Time entries' billing status is set to match.
 */
export function generateBilling(ctx: GenContext): BillingFacts {
  const rng = ctx.rng('billing');
  const t = ctx.tables;
  for (const c of ctx.customers) {
    if (!c.master?.taxCode) continue;
    t['billing.accounts'].push({
      customer_id: c.row.id,
      name: c.row.name,
      legal_entity_id: c.legalEntityId,
      currency: c.currency,
      payment_terms_days: c.master.paymentTermsDays,
      tax_code: c.master.taxCode,
      updated_at: at(c.createdDay + 1, 10 * 60 + 10),
    });
  }

  const resolver = new RateResolver(ctx);
  const itemIds = new IdSequence('bi', 6);
  // Entries of a project, billable T&M only, priced. Unapproved ones are priced too, to size the caps.
  const priced = new Map<ProjectInfo, { entry: EntryInfo; minutes: number; rate: number; source: string; amount: number }[]>();
  for (const e of ctx.entries) {
    const p = e.project;
    if (p.billingModel !== 'TIME_AND_MATERIALS' || !e.row.billable) continue;
    const { rate, source } = resolver.resolve({
      projectId: p.row.id,
      customerId: p.row.customer_id,
      currency: p.currency,
      resourceId: e.resource.row.id,
      role: e.role,
      day: e.day,
      entryOverride: e.row.rate_override_minor,
    });
    const minutes = roundMinutes(e.row.minutes, p.rounding.increment, p.rounding.mode);
    const list = priced.get(p) ?? [];
    list.push({ entry: e, minutes, rate, source, amount: amountForMinutes(rate, minutes) });
    priced.set(p, list);
  }

  const drafts: InvoiceDraft[] = [];
  const itemsByEntry = new Map<string, BillableItemRow>();
  for (const p of ctx.projects) {
    if (p.billingModel === 'TIME_AND_MATERIALS') {
      const list = priced.get(p) ?? [];
      // Half the T&M contracts carry a not-to-exceed cap, set with headroom over all the time booked.
      if (rng.chance(0.5)) {
        const total = list.reduce((s, x) => s + x.amount, 0);
        p.contract.cap_minor = Math.max(10_000_00, Math.ceil((total * 1.15) / 1_000_00) * 1_000_00);
      }
      const byMonth = new Map<number, LineDraft[]>();
      for (const x of list) {
        if (x.entry.row.status !== 'APPROVED') continue;
        const billed = x.entry.day < ctx.billingCutoffDay;
        const item: BillableItemRow = {
          id: itemIds.next(),
          source_type: 'TIME_ENTRY',
          source_id: x.entry.row.id,
          project_id: p.row.id,
          customer_id: p.row.customer_id,
          resource_id: x.entry.resource.row.id,
          role: x.entry.role,
          work_date: x.entry.row.work_date,
          source_minutes: x.entry.row.minutes,
          minutes: x.minutes,
          rate_minor: x.rate,
          rate_source: x.source,
          amount_minor: x.amount,
          currency: p.currency,
          status: billed ? 'INVOICED' : 'UNBILLED',
          invoice_line_id: null,
          // Created when the timesheet was approved (the Monday after the week, give or take).
          created_at: x.entry.row.created_at,
        };
        t['billing.billable_items'].push(item);
        itemsByEntry.set(x.entry.row.id, item);
        if (!billed) continue;
        x.entry.row.billing_status = 'BILLED';
        const month = monthStart(x.entry.day);
        const lines = byMonth.get(month) ?? [];
        let line = lines.find((l) => l.items[0]!.role === x.entry.role && l.unitPrice === x.rate);
        if (!line) {
          line = { kind: 'TIME', description: '', quantity: '', unitPrice: x.rate, amount: 0, milestoneId: null, items: [], entries: [] };
          lines.push(line);
          byMonth.set(month, lines);
        }
        line.items.push(item);
        line.entries.push(x.entry.row);
        line.amount += x.amount;
      }
      for (const [month, lines] of [...byMonth].sort((a, b) => a[0] - b[0])) {
        lines.sort((a, b) => roleOrder(a.items[0]!.role) - roleOrder(b.items[0]!.role) || b.unitPrice - a.unitPrice);
        for (const l of lines) {
          const minutes = l.items.reduce((s, i) => s + i.minutes, 0);
          l.quantity = hoursString(minutes);
          l.description = `${title(l.items[0]!.role!)} time, ${monthName(month)}: ${l.quantity} h`;
        }
        drafts.push({
          project: p,
          issueDay: onOrNextWeekday(addMonths(month, 1) + 2),
          periodStart: month,
          periodEnd: monthEnd(month),
          lines,
          order: 0,
        });
      }
    } else if (p.billingModel === 'FIXED_FEE' && p.fixedFeeMinor) {
      const first = Math.floor(p.fixedFeeMinor / 2 / 100) * 100;
      const fixedLine = (amount: number, description: string): LineDraft => ({
        kind: 'FIXED_FEE',
        description,
        quantity: '1.00',
        unitPrice: amount,
        amount,
        milestoneId: null,
        items: [],
        entries: [],
      });
      drafts.push({
        project: p,
        issueDay: onOrNextWeekday(p.startDay + 3),
        periodStart: null,
        periodEnd: null,
        lines: [fixedLine(first, 'Fixed fee: 50% on mobilisation')],
        order: 1,
      });
      if (p.closed) {
        drafts.push({
          project: p,
          issueDay: onOrNextWeekday(p.endDay + 2),
          periodStart: null,
          periodEnd: null,
          lines: [fixedLine(p.fixedFeeMinor - first, 'Fixed fee: balance on completion')],
          order: 2,
        });
      }
    } else if (p.billingModel === 'MILESTONES') {
      for (const m of p.milestones) {
        const issueDay = onOrNextWeekday(m.dueDay);
        const invoiced = issueDay < ctx.asOfDay;
        const msId = `ms_${m.id.slice(3)}`;
        t['billing.milestones'].push({
          id: msId,
          project_id: p.row.id,
          name: m.name,
          amount_minor: m.amountMinor,
          currency: p.currency,
          due_date: dayStr(m.dueDay),
          status: invoiced ? 'INVOICED' : 'PLANNED',
        });
        if (invoiced) {
          drafts.push({
            project: p,
            issueDay,
            periodStart: null,
            periodEnd: null,
            order: 3,
            lines: [
              {
                kind: 'MILESTONE',
                description: `Milestone: ${m.name}`,
                quantity: '1.00',
                unitPrice: m.amountMinor,
                amount: m.amountMinor,
                milestoneId: msId,
                items: [],
                entries: [],
              },
            ],
          });
        }
      }
    }
  }

  for (const p of ctx.projects) {
    t['billing.rules'].push({
      project_id: p.row.id,
      customer_id: p.row.customer_id,
      contract_id: p.contract.id,
      legal_entity_id: p.legalEntityId,
      billing_model: p.billingModel,
      currency: p.currency,
      cap_minor: p.contract.cap_minor,
      fixed_fee_minor: p.contract.fixed_fee_minor,
      rounding_increment_minutes: p.rounding.increment,
      rounding_mode: p.rounding.mode,
      service_line: p.serviceLine,
      active: !p.closed,
      created_at: at(p.wonDay, 15 * 60 + 30),
    });
  }

  // Ids and numbers in issue order: numbers are gap-free per legal entity in issue-date order.
  drafts.sort(
    (a, b) =>
      a.issueDay - b.issueDay ||
      a.project.row.id.localeCompare(b.project.row.id) ||
      a.order - b.order ||
      (a.periodStart ?? 0) - (b.periodStart ?? 0),
  );
  const invIds = new IdSequence('inv', 6);
  const lineIds = new IdSequence('il', 7);
  const counters = new Map<string, number>();
  const invoices: IssuedInvoice[] = [];
  for (const d of drafts) {
    const p = d.project;
    const le = entityOf(ctx.mapping, p.legalEntityId);
    const taxCode = p.customer.master!.taxCode!;
    const bp = taxRateBp(ctx.mapping, taxCode);
    const n = (counters.get(p.legalEntityId) ?? 0) + 1;
    counters.set(p.legalEntityId, n);
    const id = invIds.next();
    const lines: InvoiceLineRow[] = d.lines.map((l, k) => {
      const lineId = lineIds.next();
      for (const i of l.items) i.invoice_line_id = lineId;
      return {
        id: lineId,
        invoice_id: id,
        line_no: k + 1,
        kind: l.kind,
        description: l.description,
        quantity: l.quantity,
        unit_price_minor: l.unitPrice,
        amount_minor: l.amount,
        tax_code: taxCode,
        tax_rate_bp: bp,
        tax_minor: applyBasisPoints(l.amount, bp),
        service_line: p.serviceLine,
        milestone_id: l.milestoneId,
        credited_minor: 0,
      };
    });
    const subtotal = lines.reduce((s, l) => s + l.amount_minor, 0);
    const tax = lines.reduce((s, l) => s + l.tax_minor, 0);
    const row: InvoiceRow = {
      id,
      number: `${le.invoicePrefix}-${ymOf(d.issueDay).y}-${String(n).padStart(6, '0')}`,
      legal_entity_id: p.legalEntityId,
      customer_id: p.row.customer_id,
      project_id: p.row.id,
      contract_id: p.contract.id,
      currency: p.currency,
      status: 'ISSUED',
      issue_date: dayStr(d.issueDay),
      due_date: dayStr(d.issueDay + p.customer.master!.paymentTermsDays),
      period_start: d.periodStart === null ? null : dayStr(d.periodStart),
      period_end: d.periodEnd === null ? null : dayStr(d.periodEnd),
      subtotal_minor: subtotal,
      tax_minor: tax,
      total_minor: subtotal + tax,
      paid_minor: 0,
      received_minor: 0,
      credited_minor: 0,
      created_at: at(d.issueDay, 8 * 60 + 30),
      issued_at: at(d.issueDay, 9 * 60),
    };
    t['billing.invoices'].push(row);
    t['billing.invoice_lines'].push(...lines);
    invoices.push({ row, lines, project: p });
  }
  for (const le of Object.keys(ctx.mapping.legalEntities).sort()) {
    t['billing.number_sequences'].push({
      legal_entity_id: le,
      document_type: 'INVOICE',
      prefix: entityOf(ctx.mapping, le).invoicePrefix,
      next_number: (counters.get(le) ?? 0) + 1,
    });
  }

  const creditMemos = generateCreditMemos(ctx, invoices, itemsByEntry);
  const payments = generatePayments(ctx, invoices, creditMemos);
  for (const inv of invoices) {
    const r = inv.row;
    r.received_minor = r.paid_minor;
    r.status =
      r.credited_minor === r.total_minor
        ? 'CREDITED'
        : r.paid_minor + r.credited_minor === r.total_minor
          ? 'PAID'
          : r.paid_minor > 0
            ? 'PARTIALLY_PAID'
            : 'ISSUED';
  }
  return { invoices, payments, creditMemos };
}

/**
 * Two credit memos: a full one on the latest T&M invoice old enough (time disposition UNBILL, so its
 * items and time go back to unbilled WIP), and a partial goodwill credit of 10% on a milestone or
 * fixed-fee invoice (no time involved).
 */
function generateCreditMemos(ctx: GenContext, invoices: IssuedInvoice[], itemsByEntry: Map<string, BillableItemRow>): CreditMemoFact[] {
  const rng = ctx.rng('credit-memos');
  const out: CreditMemoFact[] = [];
  const counters = new Map<string, number>();
  const cmIds = new IdSequence('cm', 4);
  const cmlIds = new IdSequence('cml', 5);
  type Pending = {
    inv: IssuedInvoice;
    day: number;
    reason: string;
    disposition: 'UNBILL' | 'WRITE_OFF';
    lines: { line: InvoiceLineRow; amount: number }[];
    full: boolean;
  };
  const pending: Pending[] = [];
  // Numbers are given once every memo is known, in issue-date order, so they are gap-free and ordered.
  const issueAll = () => {
    pending.sort((a, b) => a.day - b.day || a.inv.row.id.localeCompare(b.inv.row.id));
    for (const { inv, day, reason, disposition, lines, full } of pending) {
      const le = inv.row.legal_entity_id;
      const n = (counters.get(le) ?? 0) + 1;
      counters.set(le, n);
      const id = cmIds.next();
      const cmLines: CreditMemoLineRow[] = lines.map(({ line, amount }) => {
        const tax = full ? line.tax_minor : applyBasisPoints(amount, line.tax_rate_bp);
        line.credited_minor += amount;
        return { id: cmlIds.next(), credit_memo_id: id, invoice_line_id: line.id, amount_minor: amount, tax_minor: tax };
      });
      const subtotal = cmLines.reduce((s, l) => s + l.amount_minor, 0);
      const tax = cmLines.reduce((s, l) => s + l.tax_minor, 0);
      const row: CreditMemoRow = {
        id,
        number: `${entityOf(ctx.mapping, le).invoicePrefix}-CM-${ymOf(day).y}-${String(n).padStart(6, '0')}`,
        legal_entity_id: le,
        invoice_id: inv.row.id,
        customer_id: inv.row.customer_id,
        currency: inv.row.currency,
        issue_date: dayStr(day),
        reason,
        time_disposition: disposition,
        subtotal_minor: subtotal,
        tax_minor: tax,
        total_minor: subtotal + tax,
        created_at: at(day, 11 * 60),
      };
      inv.row.credited_minor += row.total_minor;
      ctx.tables['billing.credit_memos'].push(row);
      ctx.tables['billing.credit_memo_lines'].push(...cmLines);
      out.push({ row, lines: cmLines, invoice: inv, full });
      if (full) ctx.highlights.fullCreditMemo = id;
      else ctx.highlights.partialCreditMemo = id;
    }
  };

  const latestFirst = invoices.slice().reverse();
  const full = latestFirst.find((i) => i.lines[0]!.kind === 'TIME' && parseDay(i.row.issue_date!) <= ctx.asOfDay - 10);
  const dated = (inv: IssuedInvoice, maxGap: number) => parseDay(inv.row.issue_date!) + rng.int(2, maxGap);
  if (full) {
    pending.push({
      inv: full,
      day: dated(full, 8),
      reason: 'Hours booked against the wrong period; the time will be re-billed after correction.',
      disposition: 'UNBILL',
      lines: full.lines.map((line) => ({ line, amount: line.amount_minor })),
      full: true,
    });
    for (const e of ctx.entries) {
      const item = itemsByEntry.get(e.row.id);
      if (item && full.lines.some((l) => l.id === item.invoice_line_id)) {
        item.status = 'UNBILLED';
        item.invoice_line_id = null;
        e.row.billing_status = 'UNBILLED';
      }
    }
  }
  const partial = latestFirst.find(
    (i) => (i.lines[0]!.kind === 'MILESTONE' || i.lines[0]!.kind === 'FIXED_FEE') && parseDay(i.row.issue_date!) <= ctx.asOfDay - 60,
  );
  if (partial) {
    const line = partial.lines[0]!;
    pending.push({
      inv: partial,
      day: dated(partial, 6),
      reason: 'Goodwill credit of 10% for the delayed delivery.',
      disposition: 'WRITE_OFF',
      lines: [{ line, amount: Math.max(100, Math.round(line.amount_minor / 10 / 100) * 100) }],
      full: false,
    });
  }
  issueAll();
  for (const le of Object.keys(ctx.mapping.legalEntities).sort()) {
    ctx.tables['billing.number_sequences'].push({
      legal_entity_id: le,
      document_type: 'CREDIT_MEMO',
      prefix: `${entityOf(ctx.mapping, le).invoicePrefix}-CM`,
      next_number: (counters.get(le) ?? 0) + 1,
    });
  }
  return out;
}

/**
 * Payments: most invoices past their due date are paid around it, a few partially or not at all
 * (overdue); a quarter of those not yet due are paid early. Credited amounts are never paid.
 */
function generatePayments(ctx: GenContext, invoices: IssuedInvoice[], creditMemos: CreditMemoFact[]): PaymentFact[] {
  const rng = ctx.rng('payments');
  const planned: { invoice: IssuedInvoice; day: number; amount: number }[] = [];
  const memoDay = new Map(creditMemos.map((c) => [c.invoice, parseDay(c.row.issue_date)]));
  for (const inv of invoices) {
    const open = inv.row.total_minor - inv.row.credited_minor;
    if (open <= 0) continue;
    const issueDay = parseDay(inv.row.issue_date!);
    const dueDay = parseDay(inv.row.due_date!);
    const earliest = Math.max(issueDay + 1, (memoDay.get(inv) ?? 0) + 1);
    const latest = ctx.asOfDay - 1;
    if (earliest > latest) continue;
    const clamp = (d: number) => Math.min(latest, Math.max(earliest, d));
    if (dueDay < ctx.asOfDay) {
      const r = rng.next();
      if (r < 0.84) planned.push({ invoice: inv, day: clamp(dueDay + rng.int(-12, 20)), amount: open });
      else if (r < 0.9) {
        const part = Math.max(100, Math.floor(open / 2 / 100) * 100);
        if (part < open) planned.push({ invoice: inv, day: clamp(dueDay + rng.int(-5, 10)), amount: part });
      }
      // else: overdue and unpaid
    } else if (rng.chance(0.25)) {
      const day = issueDay + rng.int(5, Math.max(5, dueDay - issueDay));
      if (day <= latest) planned.push({ invoice: inv, day: clamp(day), amount: open });
    }
  }
  planned.sort((a, b) => a.day - b.day || a.invoice.row.id.localeCompare(b.invoice.row.id));
  const payIds = new IdSequence('pay', 6);
  const ipIds = new IdSequence('ip', 6);
  return planned.map((p) => {
    const fact: PaymentFact = {
      erpPaymentId: payIds.next(),
      invoicePaymentId: ipIds.next(),
      externalRef: '',
      invoice: p.invoice,
      day: p.day,
      amountMinor: p.amount,
    };
    fact.externalRef = `BANK-${p.invoice.row.legal_entity_id.replace(/^LE-/, '')}-${dayStr(p.day).replaceAll('-', '')}-${fact.erpPaymentId.slice(4)}`;
    p.invoice.row.paid_minor += p.amount;
    ctx.tables['billing.invoice_payments'].push({
      id: fact.invoicePaymentId,
      invoice_id: p.invoice.row.id,
      erp_payment_id: fact.erpPaymentId,
      amount_minor: p.amount,
      received_on: dayStr(p.day),
    });
    return fact;
  });
}

/** Minutes as hours with two decimals, exact (minutes are multiples of 3 here). */
function hoursString(minutes: number): string {
  const hundredths = Math.round((minutes * 100) / 60);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

function title(role: string): string {
  return role.charAt(0) + role.slice(1).toLowerCase().replaceAll('_', ' ');
}

function monthName(month: number): string {
  const { y, m } = ymOf(month);
  return `${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][m - 1]} ${y}`;
}

function roleOrder(role: string | null): number {
  return (ROLES as readonly string[]).indexOf(role ?? '');
}
