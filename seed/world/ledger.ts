import { amountForMinutes } from '../../lib/money.ts';
import { at, dayStr, monthCode, monthEnd, monthStart, parseDay } from '../dates.ts';
import { IdSequence } from '../ids.ts';
import type { JournalEntryRow, JournalLineRow } from '../types.ts';
import type { BillingFacts, IssuedInvoice } from './billing.ts';
import { entityOf, type GenContext, type ProjectInfo, periodFor } from './context.ts';

type LineDraft = {
  account: string;
  debit: number;
  credit: number;
  serviceLine: string | null;
  customerId: string | null;
  projectId: string | null;
  sourceLineType: string | null;
  sourceLineId: string | null;
};
type Posting = {
  day: number;
  typeOrder: number;
  legalEntityId: string;
  currency: string;
  sourceType: string;
  sourceId: string;
  memo: string;
  /** `sourceType:sourceId` of the entry this one reverses. */
  reverses: string | null;
  lines: LineDraft[];
};

const TYPE_ORDER: Record<string, number> = { INVOICE: 0, CREDIT_MEMO: 1, PAYMENT: 2, PROJECT_COST: 3 };

/**
 * The erp side of everything billed and worked: contract references, a revenue journal and a
 * receivable per invoice, cash journals and payments, credit memo journals (the full one reverses its
 * invoice's entry) and monthly project cost journals. All in the entity's functional currency, so
 * fx_rate is 1 and functional amounts equal transaction amounts.
 */
export function generateLedger(ctx: GenContext, facts: BillingFacts): void {
  const t = ctx.tables;
  for (const p of ctx.projects) {
    t['erp.contract_refs'].push({
      contract_id: p.contract.id,
      project_id: p.row.id,
      customer_id: p.row.customer_id,
      legal_entity_id: p.legalEntityId,
      currency: p.currency,
      service_line: p.serviceLine,
      created_at: at(p.wonDay, 15 * 60 + 31),
    });
  }
  const postings: Posting[] = [];
  const invoicePosting = new Map<IssuedInvoice, Posting>();
  for (const inv of facts.invoices) {
    const p = invoicePostingOf(ctx, inv);
    if (p) {
      postings.push(p);
      invoicePosting.set(inv, p);
    }
  }
  for (const cm of facts.creditMemos) {
    const inv = cm.invoice;
    const accounts = entityOf(ctx.mapping, inv.row.legal_entity_id).accounts;
    const original = invoicePosting.get(inv);
    let lines: LineDraft[];
    if (cm.full && original) {
      // The mirror image of the invoice's entry, source lines kept, as the erp's reversal does.
      lines = original.lines.map((l) => ({ ...l, debit: l.credit, credit: l.debit }));
    } else {
      const dims = dimsOf(inv.project);
      lines = [];
      for (const l of cm.lines) {
        const invLine = inv.lines.find((x) => x.id === l.invoice_line_id)!;
        lines.push({
          ...dims,
          account: revenueAccount(ctx, invLine.service_line),
          debit: l.amount_minor,
          credit: 0,
          sourceLineType: 'CREDIT_MEMO_LINE',
          sourceLineId: l.id,
        });
      }
      if (cm.row.tax_minor > 0)
        lines.push({
          ...dims,
          account: accounts.taxPayable,
          debit: cm.row.tax_minor,
          credit: 0,
          sourceLineType: 'CREDIT_MEMO_TAX',
          sourceLineId: cm.row.id,
        });
      lines.push({
        ...dims,
        account: accounts.receivable,
        debit: 0,
        credit: cm.row.total_minor,
        // Every AR line names the open item it moves: per invoice, the AR account equals the receivable.
        sourceLineType: 'INVOICE',
        sourceLineId: inv.row.id,
      });
    }
    postings.push({
      day: parseDay(cm.row.issue_date),
      typeOrder: TYPE_ORDER.CREDIT_MEMO!,
      legalEntityId: inv.row.legal_entity_id,
      currency: inv.row.currency,
      sourceType: 'CREDIT_MEMO',
      sourceId: cm.row.id,
      memo: `Credit memo ${cm.row.number} on invoice ${inv.row.number}`,
      reverses: cm.full && original ? `INVOICE:${inv.row.id}` : null,
      lines,
    });
  }
  for (const pay of facts.payments) {
    const inv = pay.invoice;
    const accounts = entityOf(ctx.mapping, inv.row.legal_entity_id).accounts;
    const dims = dimsOf(inv.project);
    postings.push({
      day: pay.day,
      typeOrder: TYPE_ORDER.PAYMENT!,
      legalEntityId: inv.row.legal_entity_id,
      currency: inv.row.currency,
      sourceType: 'PAYMENT',
      sourceId: pay.erpPaymentId,
      memo: `Payment ${pay.externalRef} for invoice ${inv.row.number}`,
      reverses: null,
      lines: [
        { ...dims, account: accounts.cash, debit: pay.amountMinor, credit: 0, sourceLineType: 'PAYMENT', sourceLineId: pay.erpPaymentId },
        { ...dims, account: accounts.receivable, debit: 0, credit: pay.amountMinor, sourceLineType: 'INVOICE', sourceLineId: inv.row.id },
      ],
    });
  }
  postings.push(...costPostings(ctx));

  postings.sort((a, b) => a.day - b.day || a.typeOrder - b.typeOrder || a.sourceId.localeCompare(b.sourceId));
  const jeIds = new IdSequence('je', 6);
  const jlIds = new IdSequence('jl', 7);
  const entryIdOf = new Map<string, string>();
  for (const p of postings) {
    const id = jeIds.next();
    entryIdOf.set(`${p.sourceType}:${p.sourceId}`, id);
    const le = entityOf(ctx.mapping, p.legalEntityId);
    const entry: JournalEntryRow = {
      id,
      legal_entity_id: p.legalEntityId,
      entry_date: dayStr(p.day),
      period_id: periodFor(ctx, p.legalEntityId, monthCode(p.day)).id,
      source_type: p.sourceType,
      source_id: p.sourceId,
      memo: p.memo,
      currency: p.currency,
      functional_currency: le.functionalCurrency,
      fx_rate: '1',
      reverses_id: p.reverses ? entryIdOf.get(p.reverses)! : null,
      posted_at: at(p.day, 18 * 60 + p.typeOrder * 5),
    };
    if (p.currency !== le.functionalCurrency) throw new Error(`seed: ${p.sourceType} ${p.sourceId} is not in the functional currency`);
    t['erp.journal_entries'].push(entry);
    p.lines.forEach((l, k) => {
      const line: JournalLineRow = {
        id: jlIds.next(),
        journal_entry_id: id,
        line_no: k + 1,
        legal_entity_id: p.legalEntityId,
        account_code: l.account,
        debit_minor: l.debit,
        credit_minor: l.credit,
        functional_debit_minor: l.debit,
        functional_credit_minor: l.credit,
        customer_id: l.customerId,
        project_id: l.projectId,
        service_line: l.serviceLine,
        source_line_type: l.sourceLineType,
        source_line_id: l.sourceLineId,
      };
      t['erp.journal_lines'].push(line);
    });
  }

  const rcvIds = new IdSequence('rcv', 6);
  const receivableOf = new Map<string, string>();
  for (const inv of facts.invoices) {
    const r = inv.row;
    const open = r.total_minor - r.paid_minor - r.credited_minor;
    const id = rcvIds.next();
    receivableOf.set(r.id, id);
    t['erp.receivables'].push({
      id,
      invoice_id: r.id,
      invoice_number: r.number!,
      customer_id: r.customer_id,
      legal_entity_id: r.legal_entity_id,
      project_id: r.project_id,
      currency: r.currency,
      amount_minor: r.total_minor,
      open_minor: open,
      received_minor: r.paid_minor,
      paid_minor: r.paid_minor,
      credited_minor: r.credited_minor,
      issue_date: r.issue_date!,
      due_date: r.due_date!,
      status: r.credited_minor === r.total_minor ? 'CREDITED' : open === 0 ? 'PAID' : r.paid_minor > 0 ? 'PARTIALLY_PAID' : 'OPEN',
      journal_entry_id: entryIdOf.get(`INVOICE:${r.id}`) ?? null,
    });
  }
  for (const pay of facts.payments) {
    const r = pay.invoice.row;
    t['erp.payments'].push({
      id: pay.erpPaymentId,
      customer_id: r.customer_id,
      legal_entity_id: r.legal_entity_id,
      receivable_id: receivableOf.get(r.id)!,
      invoice_id: r.id,
      amount_minor: pay.amountMinor,
      currency: r.currency,
      received_on: dayStr(pay.day),
      external_ref: pay.externalRef,
      journal_entry_id: entryIdOf.get(`PAYMENT:${pay.erpPaymentId}`) ?? null,
      created_at: at(pay.day, 14 * 60),
    });
  }
  ctx.journalEntryIdOf = entryIdOf;
}

function dimsOf(p: ProjectInfo): Pick<LineDraft, 'customerId' | 'projectId' | 'serviceLine'> {
  return { customerId: p.row.customer_id, projectId: p.row.id, serviceLine: p.serviceLine };
}

function revenueAccount(ctx: GenContext, serviceLine: string): string {
  const sl = ctx.mapping.serviceLines[serviceLine];
  if (!sl) throw new Error(`seed: service line ${serviceLine} is not in the mapping`);
  return sl.revenueAccount;
}

/** Debit AR for the total, credit revenue per line by service line, credit tax payable. */
function invoicePostingOf(ctx: GenContext, inv: IssuedInvoice): Posting | null {
  const r = inv.row;
  if (r.total_minor === 0) return null;
  const accounts = entityOf(ctx.mapping, r.legal_entity_id).accounts;
  const dims = dimsOf(inv.project);
  const lines: LineDraft[] = [
    { ...dims, account: accounts.receivable, debit: r.total_minor, credit: 0, sourceLineType: 'INVOICE', sourceLineId: r.id },
  ];
  for (const l of inv.lines) {
    if (l.amount_minor === 0) continue;
    lines.push({
      ...dims,
      serviceLine: l.service_line,
      account: revenueAccount(ctx, l.service_line),
      debit: 0,
      credit: l.amount_minor,
      sourceLineType: 'INVOICE_LINE',
      sourceLineId: l.id,
    });
  }
  if (r.tax_minor > 0)
    lines.push({ ...dims, account: accounts.taxPayable, debit: 0, credit: r.tax_minor, sourceLineType: 'INVOICE_TAX', sourceLineId: r.id });
  return {
    day: parseDay(r.issue_date!),
    typeOrder: TYPE_ORDER.INVOICE!,
    legalEntityId: r.legal_entity_id,
    currency: r.currency,
    sourceType: 'INVOICE',
    sourceId: r.id,
    memo: `Invoice ${r.number}`,
    reverses: null,
    lines,
  };
}

/** Approved minutes at each resource's cost rate, per project and month: debit cost, credit accrued cost. */
function costPostings(ctx: GenContext): Posting[] {
  const groups = new Map<string, { project: ProjectInfo; month: number; byResource: Map<string, { minutes: number; rate: number }> }>();
  for (const e of ctx.entries) {
    if (e.row.status !== 'APPROVED') continue;
    const month = monthStart(e.day);
    const key = `${e.project.row.id}:${monthCode(month)}`;
    let g = groups.get(key);
    if (!g) {
      g = { project: e.project, month, byResource: new Map() };
      groups.set(key, g);
    }
    if (e.resource.currency !== e.project.currency) throw new Error('seed: resources work only for their own legal entity');
    const r = g.byResource.get(e.resource.row.id) ?? { minutes: 0, rate: e.resource.costRateMinor };
    r.minutes += e.row.minutes;
    g.byResource.set(e.resource.row.id, r);
  }
  const out: Posting[] = [];
  for (const [key, g] of groups) {
    const p = g.project;
    const sl = ctx.mapping.serviceLines[p.serviceLine]!;
    const accounts = entityOf(ctx.mapping, p.legalEntityId).accounts;
    const dims = dimsOf(p);
    const lines: LineDraft[] = [];
    let total = 0;
    for (const [resourceId, r] of [...g.byResource].sort((a, b) => a[0].localeCompare(b[0]))) {
      const amount = amountForMinutes(r.rate, r.minutes);
      if (amount === 0) continue;
      total += amount;
      lines.push({ ...dims, account: sl.costAccount, debit: amount, credit: 0, sourceLineType: 'RESOURCE', sourceLineId: resourceId });
    }
    if (total === 0) continue;
    lines.push({ ...dims, account: accounts.accruedCost, debit: 0, credit: total, sourceLineType: 'PROJECT_COST', sourceLineId: key });
    out.push({
      day: Math.min(monthEnd(g.month), ctx.asOfDay),
      typeOrder: TYPE_ORDER.PROJECT_COST!,
      legalEntityId: p.legalEntityId,
      currency: p.currency,
      sourceType: 'PROJECT_COST',
      sourceId: key,
      memo: `Delivery cost ${p.row.code} ${monthCode(g.month)}`,
      reverses: null,
      lines,
    });
  }
  return out;
}
