import {
  type DigestRow,
  type IssuedInvoiceRow,
  invoiceCountsOfCustomers,
  issuedInvoiceDigest,
  issuedInvoicesInBuckets,
  openBalanceByCustomer,
  projectPositions,
  type StaleItemsRow,
  staleUnbilledItems,
} from '../../billing/api/reads.ts';
import { customerPipelines } from '../../crm/api/reads.ts';
import { customersWithMaster, postedInvoiceDigest, postedInvoiceIdsInBuckets, receivableOpenByCustomer } from '../../erp/api/reads.ts';
import { projectCountsOfCustomers, projectStates } from '../../psa/api/reads.ts';
import { timeAfterDates, timeByProject } from '../../time/api/reads.ts';
import type { ReadSystems } from './systems.ts';

// Reconciliation across the five systems (docs/reconciliation.md). Every system is read through its own data
// layer with a handful of grouped statements (per project, customer or digest bucket); the comparison
// happens here, in memory. The statement count does not depend on the number of rows.

export type CheckName =
  | 'WIP'
  | 'TIME_WITHOUT_BILLABLE_ITEM'
  | 'BILLING_STATUS_MISMATCH'
  | 'STALE_BILLABLE_ITEMS'
  | 'INVOICES_NOT_POSTED'
  | 'AR_DIFFERENCE'
  | 'TIME_ON_UNKNOWN_OR_CLOSED_PROJECT'
  | 'CUSTOMERS_WITHOUT_FINANCIAL_MASTER';
export type CheckStatus = 'OK' | 'DISCREPANCY' | 'INFO';
export type Check = { name: CheckName; status: CheckStatus; count: number; discrepancyCount: number; description: string };

export const WIP_AGES = ['DAYS_0_30', 'DAYS_31_60', 'DAYS_61_90', 'OVER_90_DAYS'] as const;
export type WipAge = (typeof WIP_AGES)[number];

export type ProjectWip = {
  projectId: string;
  customerId: string;
  currency: string;
  minutes: number;
  valueMinor: number;
  buckets: { age: WipAge; minutes: number; valueMinor: number }[];
  oldestWorkDate: string | null;
};
export type TimeWithoutItem = {
  projectId: string;
  customerId: string;
  entryCount: number;
  minutes: number;
  approvedEntries: number;
  billableItems: number;
};
export type BillingStatusMismatch = {
  projectId: string;
  customerId: string;
  timeBilled: number;
  itemsInvoiced: number;
  timeWrittenOff: number;
  itemsWrittenOff: number;
};
export type StaleItems = StaleItemsRow;
export type UnpostedInvoice = IssuedInvoiceRow;
export type ArDifference = {
  customerId: string;
  currency: string;
  billingOpenMinor: number;
  erpOpenMinor: number;
  invoiceCount: number;
  receivableCount: number;
};
export type MisplacedTime = {
  projectId: string;
  reason: 'UNKNOWN_PROJECT' | 'AFTER_PROJECT_END';
  entryCount: number;
  minutes: number;
  firstWorkDate: string | null;
  lastWorkDate: string;
  projectEndDate: string | null;
};
export type CustomerWithoutMaster = {
  customerId: string;
  name: string;
  explained: boolean;
  reason: string;
  projectCount: number;
  invoiceCount: number;
  openOpportunities: number;
};

export type ReconciliationReport = {
  asOf: string;
  staleAfterDays: number;
  wip: ProjectWip[];
  timeWithoutBillableItem: TimeWithoutItem[];
  billingStatusMismatches: BillingStatusMismatch[];
  staleBillableItems: StaleItems[];
  unpostedInvoices: UnpostedInvoice[];
  arDifferences: ArDifference[];
  misplacedTime: MisplacedTime[];
  customersWithoutMaster: CustomerWithoutMaster[];
  checks: Check[];
  discrepancyCount: number;
};

export type ReconciliationOptions = { asOf: string; staleAfterDays: number };

/** Runs every check. About a dozen statements, two of them only when invoice digests disagree. */
export async function reconcile(sys: ReadSystems, opts: ReconciliationOptions): Promise<ReconciliationReport> {
  const { asOf, staleAfterDays } = opts;
  const [time, positions, stale, billingDigest, erpDigest, billingOpen, erpOpen, customers] = await Promise.all([
    timeByProject(sys.time, asOf),
    projectPositions(sys.billing, asOf),
    staleUnbilledItems(sys.billing, asOf, staleAfterDays),
    issuedInvoiceDigest(sys.billing),
    postedInvoiceDigest(sys.erp),
    openBalanceByCustomer(sys.billing, null),
    receivableOpenByCustomer(sys.erp, null),
    customerPipelines(sys.crm),
  ]);
  const customerIds = customers.map((c) => c.id);
  const [psaProjects, mastered, unposted] = await Promise.all([
    projectStates(
      sys.psa,
      time.map((t) => t.project_id),
    ),
    customersWithMaster(sys.erp, customerIds),
    unpostedInvoices(sys, billingDigest, erpDigest),
  ]);

  const wip = wipOf(time, positions);
  const timeWithoutBillableItem = timeWithoutItems(time, positions);
  const billingStatusMismatches = billingStatusMismatchesOf(time, positions);

  // Time on projects the PSA does not know, or dated after a CLOSED project's end.
  const psaById = new Map(psaProjects.map((p) => [p.id, p]));
  const misplacedTime: MisplacedTime[] = time
    .filter((t) => !psaById.has(t.project_id))
    .map((t) => ({
      projectId: t.project_id,
      reason: 'UNKNOWN_PROJECT' as const,
      entryCount: t.entry_count,
      minutes: t.minutes,
      firstWorkDate: null,
      lastWorkDate: t.last_work_date,
      projectEndDate: null,
    }));
  const closed = psaProjects.filter((p) => p.status === 'CLOSED' && p.end_date !== null);
  const masteredIds = new Set(mastered);
  const missingMaster = customers.filter((c) => !masteredIds.has(c.id));
  const missingIds = missingMaster.map((c) => c.id);
  const [after, projectCounts, invoiceCounts] = await Promise.all([
    timeAfterDates(
      sys.time,
      closed.map((p) => ({ projectId: p.id, after: p.end_date! })),
    ),
    projectCountsOfCustomers(sys.psa, missingIds),
    invoiceCountsOfCustomers(sys.billing, missingIds),
  ]);
  for (const a of after) {
    misplacedTime.push({
      projectId: a.project_id,
      reason: 'AFTER_PROJECT_END',
      entryCount: a.entry_count,
      minutes: a.minutes,
      firstWorkDate: a.first_work_date,
      lastWorkDate: a.last_work_date,
      projectEndDate: psaById.get(a.project_id)?.end_date ?? null,
    });
  }
  misplacedTime.sort((x, y) => x.projectId.localeCompare(y.projectId) || x.reason.localeCompare(y.reason));

  const arDifferences = arDifferencesOf(billingOpen, erpOpen);
  const customersWithoutMaster = explainMissingMasters(missingMaster, projectCounts, invoiceCounts);

  const unexplainedMasters = customersWithoutMaster.filter((c) => !c.explained).length;
  const checks: Check[] = [
    {
      name: 'WIP',
      status: 'INFO',
      count: wip.length,
      discrepancyCount: 0,
      description:
        'Approved, billable, unbilled time on T&M projects, by age of the work day: work in progress, expected until the next monthly billing run. Fixed-fee and milestone time is never WIP.',
    },
    check(
      'TIME_WITHOUT_BILLABLE_ITEM',
      timeWithoutBillableItem.length,
      'Projects whose approved billable T&M time has fewer billable items than entries: the approved-time sync did not price some time.',
    ),
    check(
      'BILLING_STATUS_MISMATCH',
      billingStatusMismatches.length,
      "T&M projects whose time entries and billable items disagree on what is billed or written off (an invoiced item's time must be BILLED, a written-off item's time WRITTEN_OFF).",
    ),
    check(
      'STALE_BILLABLE_ITEMS',
      staleBillableItemsCount(stale),
      `Projects with unbilled items more than ${staleAfterDays} days past the end of their billing month (the month of the work, or of the UNBILL credit memo that released them).`,
    ),
    check('INVOICES_NOT_POSTED', unposted.length, 'Issued invoices with no INVOICE journal entry in the erp.'),
    check(
      'AR_DIFFERENCE',
      arDifferences.length,
      "Customer and currency pairs whose erp open receivables differ from billing's open invoice balance (total - paid - credited - written off).",
    ),
    check(
      'TIME_ON_UNKNOWN_OR_CLOSED_PROJECT',
      misplacedTime.length,
      'Time on projects the PSA does not know, or dated after a closed project ended.',
    ),
    {
      name: 'CUSTOMERS_WITHOUT_FINANCIAL_MASTER',
      status: unexplainedMasters > 0 ? 'DISCREPANCY' : customersWithoutMaster.length > 0 ? 'INFO' : 'OK',
      count: customersWithoutMaster.length,
      discrepancyCount: unexplainedMasters,
      description:
        'Customers with no erp financial master. Expected for prospects (no project, no invoice: a won deal stops at project activation until finance sets one up); a discrepancy once one has projects or invoices.',
    },
  ];
  return {
    asOf,
    staleAfterDays,
    wip,
    timeWithoutBillableItem,
    billingStatusMismatches,
    staleBillableItems: stale,
    unpostedInvoices: unposted,
    arDifferences,
    misplacedTime,
    customersWithoutMaster,
    checks,
    discrepancyCount: checks.reduce((s, c) => s + c.discrepancyCount, 0),
  };
}

function check(name: CheckName, count: number, description: string): Check {
  return { name, status: count > 0 ? 'DISCREPANCY' : 'OK', count, discrepancyCount: count, description };
}

function staleBillableItemsCount(rows: readonly StaleItemsRow[]): number {
  return new Set(rows.map((r) => r.project_id)).size;
}

/** WIP of T&M projects (per billing's rule): hours from time, value from billing's UNBILLED items, by age. */
function wipOf(time: Awaited<ReturnType<typeof timeByProject>>, positions: Awaited<ReturnType<typeof projectPositions>>): ProjectWip[] {
  const tm = positions.filter((p) => p.billing_model === 'TIME_AND_MATERIALS');
  const timeById = new Map(time.map((t) => [t.project_id, t]));
  const out: ProjectWip[] = [];
  const seen = new Set<string>();
  for (const p of tm) {
    // Time counts once per project, on its first currency row (a project bills in one currency).
    const t = seen.has(p.project_id) ? undefined : timeById.get(p.project_id);
    seen.add(p.project_id);
    const minutes = [t?.wip_minutes_0_30 ?? 0, t?.wip_minutes_31_60 ?? 0, t?.wip_minutes_61_90 ?? 0, t?.wip_minutes_over_90 ?? 0];
    const values = [p.unbilled_minor_0_30, p.unbilled_minor_31_60, p.unbilled_minor_61_90, p.unbilled_minor_over_90];
    const totalMinutes = minutes.reduce((s, m) => s + m, 0);
    const totalValue = values.reduce((s, v) => s + v, 0);
    if (totalMinutes === 0 && totalValue === 0) continue;
    out.push({
      projectId: p.project_id,
      customerId: p.customer_id,
      currency: p.currency,
      minutes: totalMinutes,
      valueMinor: totalValue,
      buckets: WIP_AGES.map((age, i) => ({ age, minutes: minutes[i]!, valueMinor: values[i]! })),
      oldestWorkDate: t?.oldest_wip_date ?? null,
    });
  }
  return out;
}

/**
 * Approved billable T&M entries without a billable item, per project: billing makes exactly one item
 * per such entry, so the counts and minutes must agree. Compared as counts, not per entry.
 */
function timeWithoutItems(
  time: Awaited<ReturnType<typeof timeByProject>>,
  positions: Awaited<ReturnType<typeof projectPositions>>,
): TimeWithoutItem[] {
  const items = new Map<string, { count: number; minutes: number; model: string | null; customerId: string }>();
  for (const p of positions) {
    const cur = items.get(p.project_id) ?? { count: 0, minutes: 0, model: p.billing_model, customerId: p.customer_id };
    items.set(p.project_id, { ...cur, count: cur.count + p.item_count, minutes: cur.minutes + p.item_source_minutes });
  }
  const out: TimeWithoutItem[] = [];
  for (const t of time) {
    const i = items.get(t.project_id);
    if (i?.model !== 'TIME_AND_MATERIALS') continue;
    const missing = t.approved_billable_count - i.count;
    if (missing <= 0) continue;
    out.push({
      projectId: t.project_id,
      customerId: i.customerId,
      entryCount: missing,
      minutes: Math.max(0, t.approved_billable_minutes - i.minutes),
      approvedEntries: t.approved_billable_count,
      billableItems: i.count,
    });
  }
  return out;
}

/**
 * T&M projects whose approved billable time and billable items disagree on status, compared as counts
 * per project: BILLED time against INVOICED items, WRITTEN_OFF time against WRITTEN_OFF items.
 */
function billingStatusMismatchesOf(
  time: Awaited<ReturnType<typeof timeByProject>>,
  positions: Awaited<ReturnType<typeof projectPositions>>,
): BillingStatusMismatch[] {
  const items = new Map<string, { invoiced: number; writtenOff: number; model: string | null; customerId: string }>();
  for (const p of positions) {
    const cur = items.get(p.project_id) ?? { invoiced: 0, writtenOff: 0, model: p.billing_model, customerId: p.customer_id };
    items.set(p.project_id, { ...cur, invoiced: cur.invoiced + p.invoiced_count, writtenOff: cur.writtenOff + p.written_off_count });
  }
  const out: BillingStatusMismatch[] = [];
  for (const t of time) {
    const i = items.get(t.project_id);
    if (i?.model !== 'TIME_AND_MATERIALS') continue;
    if (t.billed_count === i.invoiced && t.written_off_count === i.writtenOff) continue;
    out.push({
      projectId: t.project_id,
      customerId: i.customerId,
      timeBilled: t.billed_count,
      itemsInvoiced: i.invoiced,
      timeWrittenOff: t.written_off_count,
      itemsWrittenOff: i.writtenOff,
    });
  }
  return out;
}

/** Compares digests of issued invoice ids and posted invoice ids, and lists only the buckets that differ. */
async function unpostedInvoices(sys: ReadSystems, billing: readonly DigestRow[], erp: readonly DigestRow[]): Promise<UnpostedInvoice[]> {
  const key = (d: DigestRow) => `${d.count}:${d.fingerprint}`;
  const erpByBucket = new Map(erp.map((d) => [d.bucket, key(d)]));
  const differing = billing.filter((d) => erpByBucket.get(d.bucket) !== key(d)).map((d) => d.bucket);
  if (differing.length === 0) return [];
  const [issued, posted] = await Promise.all([
    issuedInvoicesInBuckets(sys.billing, differing),
    postedInvoiceIdsInBuckets(sys.erp, differing),
  ]);
  const postedIds = new Set(posted);
  return issued.filter((i) => !postedIds.has(i.id));
}

/** Open balance per customer and currency, billing vs erp; only the pairs that differ. */
export function arDifferencesOf(
  billing: readonly { customer_id: string; currency: string; open_minor: number; invoice_count: number }[],
  erp: readonly { customer_id: string; currency: string; open_minor: number; receivable_count: number }[],
): ArDifference[] {
  const pairs = new Map<string, ArDifference>();
  const at = (customerId: string, currency: string) => {
    const k = `${customerId}\u0000${currency}`;
    let d = pairs.get(k);
    if (!d) {
      d = { customerId, currency, billingOpenMinor: 0, erpOpenMinor: 0, invoiceCount: 0, receivableCount: 0 };
      pairs.set(k, d);
    }
    return d;
  };
  for (const b of billing) Object.assign(at(b.customer_id, b.currency), { billingOpenMinor: b.open_minor, invoiceCount: b.invoice_count });
  for (const e of erp) Object.assign(at(e.customer_id, e.currency), { erpOpenMinor: e.open_minor, receivableCount: e.receivable_count });
  return [...pairs.values()]
    .filter((d) => d.billingOpenMinor !== d.erpOpenMinor)
    .sort((a, b) => a.customerId.localeCompare(b.customerId) || a.currency.localeCompare(b.currency));
}

/**
 * A customer without an erp financial master is expected (explained) while it is a prospect: no
 * project, no invoice. Project activation refuses to win a deal for it, so nothing can be billed until
 * finance sets the master up. One with projects or invoices has lost or never had its master: a
 * discrepancy.
 */
function explainMissingMasters(
  customers: readonly { id: string; name: string; open_opportunities: number }[],
  projects: readonly { customer_id: string; project_count: number }[],
  invoices: readonly { customer_id: string; invoice_count: number }[],
): CustomerWithoutMaster[] {
  const p = new Map(projects.map((r) => [r.customer_id, r.project_count]));
  const i = new Map(invoices.map((r) => [r.customer_id, r.invoice_count]));
  return customers.map((c) => {
    const projectCount = p.get(c.id) ?? 0;
    const invoiceCount = i.get(c.id) ?? 0;
    const explained = projectCount === 0 && invoiceCount === 0;
    const reason = explained
      ? `Prospect: no project and no invoice yet${c.open_opportunities > 0 ? `, ${c.open_opportunities} open opportunit${c.open_opportunities === 1 ? 'y' : 'ies'}` : ''}. Finance sets up the master before a deal can be won (project activation checks it).`
      : `Has ${projectCount} project(s) and ${invoiceCount} invoice(s) but no erp financial master: invoices cannot be posted to a customer the ledger does not know.`;
    return { customerId: c.id, name: c.name, explained, reason, projectCount, invoiceCount, openOpportunities: c.open_opportunities };
  });
}
