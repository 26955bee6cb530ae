import { type Clock, today } from '../../../lib/clock.ts';
import { badInput } from '../../../lib/errors.ts';
import { money } from '../../../lib/money.ts';
import { load } from '../context.ts';
import type {
  ArDifference,
  Check,
  CustomerWithoutMaster,
  MisplacedTime,
  ProjectWip,
  ReconciliationReport,
  StaleItems,
  TimeWithoutItem,
  UnpostedInvoice,
} from '../reconciliation/report.ts';
import type * as gql from './types.generated.ts';

// Report rows (minor units, minutes) as the graph shows them (Money, hours, entity references).

type ReconciliationArgs = gql.QueryReconciliationArgs;

/** `asOf` defaults to the business day of the request's clock (lib/clock.ts). */
export function reconciliationOptions(args: ReconciliationArgs, clock: Clock): { asOf: string; staleAfterDays: number } {
  const staleAfterDays = args.staleAfterDays ?? 45;
  if (!Number.isInteger(staleAfterDays) || staleAfterDays < 0 || staleAfterDays > 3650)
    throw badInput('staleAfterDays must be between 0 and 3650', 'staleAfterDays');
  return { asOf: args.asOf ?? today(clock), staleAfterDays };
}

const hours = (minutes: number) => minutes / 60;
const ref = (id: string) => ({ id });

export const wipToGraph = (w: ProjectWip) => ({
  project: ref(w.projectId),
  customer: ref(w.customerId),
  hours: hours(w.minutes),
  value: money(w.valueMinor, w.currency),
  buckets: w.buckets.map((b) => ({ age: b.age, hours: hours(b.minutes), value: money(b.valueMinor, w.currency) })),
  oldestWorkDate: w.oldestWorkDate,
});

export const timeWithoutItemToGraph = (t: TimeWithoutItem) => ({
  project: ref(t.projectId),
  customer: ref(t.customerId),
  count: t.entryCount,
  hours: hours(t.minutes),
  approvedEntries: t.approvedEntries,
  billableItems: t.billableItems,
});

export const staleToGraph = (s: StaleItems) => ({
  project: ref(s.project_id),
  count: s.item_count,
  hours: hours(s.minutes),
  value: money(s.amount_minor, s.currency),
  oldestWorkDate: s.oldest_work_date,
  dueSince: s.due_since,
  daysOverdue: s.days_overdue,
  releasedByCreditMemos: s.released_by,
});

export const unpostedToGraph = (i: UnpostedInvoice) => ({
  invoice: ref(i.id),
  number: i.number,
  customer: ref(i.customer_id),
  project: ref(i.project_id),
  total: money(i.total_minor, i.currency),
  issueDate: i.issue_date,
  status: i.status,
});

export const arDifferenceToGraph = (d: ArDifference) => ({
  customer: ref(d.customerId),
  currency: d.currency,
  billingOpen: money(d.billingOpenMinor, d.currency),
  erpOpen: money(d.erpOpenMinor, d.currency),
  difference: money(BigInt(d.billingOpenMinor) - BigInt(d.erpOpenMinor), d.currency),
  invoiceCount: d.invoiceCount,
  receivableCount: d.receivableCount,
});

export const misplacedToGraph = (m: MisplacedTime) => ({
  projectId: m.projectId,
  project: m.reason === 'UNKNOWN_PROJECT' ? null : ref(m.projectId),
  reason: m.reason,
  count: m.entryCount,
  hours: hours(m.minutes),
  firstWorkDate: m.firstWorkDate,
  lastWorkDate: m.lastWorkDate,
  projectEndDate: m.projectEndDate,
});

export const missingMasterToGraph = (c: CustomerWithoutMaster) => ({
  customer: ref(c.customerId),
  name: c.name,
  explained: c.explained,
  reason: c.reason,
  projectCount: c.projectCount,
  invoiceCount: c.invoiceCount,
  openOpportunities: c.openOpportunities,
});

export function reportToGraph(r: ReconciliationReport) {
  return {
    asOf: r.asOf,
    staleAfterDays: r.staleAfterDays,
    discrepancyCount: r.discrepancyCount,
    checks: r.checks.map((c: Check) => ({ ...c })),
    wip: r.wip.map(wipToGraph),
    timeWithoutBillableItem: r.timeWithoutBillableItem.map(timeWithoutItemToGraph),
    billingStatusMismatches: r.billingStatusMismatches.map((m) => ({ ...m, project: ref(m.projectId), customer: ref(m.customerId) })),
    staleBillableItems: r.staleBillableItems.map(staleToGraph),
    unpostedInvoices: r.unpostedInvoices.map(unpostedToGraph),
    arDifferences: r.arDifferences.map(arDifferenceToGraph),
    misplacedTime: r.misplacedTime.map(misplacedToGraph),
    customersWithoutMaster: r.customersWithoutMaster.map(missingMasterToGraph),
  };
}

/** One project's slice of a report. */
export function projectSlice(r: ReconciliationReport, projectId: string) {
  const wip = r.wip.find((w) => w.projectId === projectId);
  const missing = r.timeWithoutBillableItem.find((t) => t.projectId === projectId);
  const stale = r.staleBillableItems.filter((s) => s.project_id === projectId);
  const unposted = r.unpostedInvoices.filter((i) => i.project_id === projectId);
  const misplaced = r.misplacedTime.filter((m) => m.projectId === projectId);
  return {
    wip: wip ? wipToGraph(wip) : null,
    timeWithoutBillableItem: missing ? timeWithoutItemToGraph(missing) : null,
    staleBillableItems: stale.map(staleToGraph),
    unpostedInvoices: unposted.map(unpostedToGraph),
    misplacedTime: misplaced.map(misplacedToGraph),
    discrepancyCount: (missing ? 1 : 0) + (stale.length > 0 ? 1 : 0) + unposted.length + misplaced.length,
  };
}

export const reconciliationQuery: gql.QueryResolvers['reconciliation'] = async (_, args, ctx) =>
  reportToGraph(await load.reconciliation(ctx).load(reconciliationKey(reconciliationOptions(args, ctx.clock))));

export const reconciliationKey = (o: { asOf: string; staleAfterDays: number }) => `${o.asOf}|${o.staleAfterDays}`;
