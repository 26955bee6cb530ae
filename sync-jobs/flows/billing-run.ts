/**
 * Flow 3: billing run -> invoices. For one project through a date: a T&M invoice from its unbilled
 * items, and an invoice per milestone (or fixed-fee instalment, see fixed-fee-schedule.ts) due by then; each is issued (gap-free number, due date from the
 * payment terms) and its ERP posting is enqueued in the same transaction. Nothing to bill is a success
 * with no invoice, not an error. Due items of amount zero (time past a cap) are written off, never
 * invoiced. Each run is recorded in billing with what it issued, so a replay bills nothing new. A
 * billing cycle starts hundreds of runs at once, so the flow works set-based on a batch of projects.
 */

import type { Clock } from '../../lib/clock.ts';
import type { Mapping } from '../../lib/mapping.ts';
import * as billing from '../../subgraphs/billing/api/index.ts';
import { findAccountsByCustomerIds, findMilestonesOfProjects, findRulesByProjectIds } from '../../subgraphs/billing/data/accounts.ts';
import { findLinesOfInvoices } from '../../subgraphs/billing/data/invoices.ts';
import { findItemsOfLines, projectsWithItemsDue, zeroItemsDueOf } from '../../subgraphs/billing/data/items.ts';
import type { Invoice } from '../../subgraphs/billing/data/tables.ts';
import type { Job } from '../../subgraphs/sync/data/tables.ts';
import * as time from '../../subgraphs/time/api/index.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow, Systems } from '../flow.ts';
import type { JobResult, JobSpec } from '../ledger.ts';
import { requireInvoicingAllowed } from './credit-control.ts';
import { taxRateBp } from './posting.ts';

/**
 * A run's dates are fixed when it is requested (sync subgraph, runBilling): a retry or a replay bills
 * and issues exactly as the first attempt would. Jobs enqueued before the issue date was stored take
 * the day they were requested, never the day they happen to run.
 */
function datesOf(job: Job): { through: string; issueDate: string } {
  const payload = job.payload as { through?: string; issueDate?: string };
  const requested = job.created_at.toISOString().slice(0, 10);
  return { through: payload.through ?? requested, issueDate: payload.issueDate ?? requested };
}

/** UNBILLED items of amount zero due in these T&M runs. */
const zeroItemsDue = (sys: Systems, tm: readonly { projectId: string; through: string }[]) =>
  tm.length ? zeroItemsDueOf(sys.billing, tm) : Promise.resolve([]);

/** The billing runs of `jobs` (one project each) in a fixed number of statements; any rule violation throws. */
async function runBilling(
  sys: Systems,
  mapping: Mapping,
  clock: Clock,
  jobs: readonly Job[],
): Promise<{ results: JobResult[]; followUps: JobSpec[] }> {
  const all = jobs.map((job) => ({ projectId: job.source_id, runKey: job.source_key, ...datesOf(job) }));
  // A run that completed before (a replay) returns what it did then and bills nothing new.
  const done = await billing.findBillingRuns(
    sys.billing,
    all.map((r) => r.runKey),
  );
  const runs = all.filter((r) => !done.has(r.runKey));
  const replayed = (r: (typeof all)[number]): JobResult => {
    const rec = done.get(r.runKey)!;
    return {
      projectId: r.projectId,
      ...(rec.invoiceIds.length === 1 ? { invoiceId: rec.invoiceIds[0] } : {}),
      targets: rec.invoiceIds.length ? { billing: { Invoice: rec.invoiceIds } } : {},
      detail: { replayOf: r.runKey, invoices: rec.invoiceIds.length, through: rec.through },
    };
  };
  if (runs.length === 0) return { results: all.map(replayed), followUps: [] };
  const projectIds = runs.map((r) => r.projectId);
  const rules = new Map((await findRulesByProjectIds(sys.billing, projectIds)).map((r) => [r.project_id, r]));
  const missingRule = projectIds.find((p) => !rules.has(p));
  if (missingRule)
    throw new BusinessRuleFailure(
      'NOT_FOUND',
      `Project ${missingRule} has no billing rule: activate it through the opportunity-won sync first`,
      'billing',
      'projectId',
    );
  const accounts = new Map(
    (await findAccountsByCustomerIds(sys.billing, [...new Set([...rules.values()].map((r) => r.customer_id))])).map((a) => [
      a.customer_id,
      a,
    ]),
  );
  const noAccount = [...rules.values()].find((r) => !accounts.has(r.customer_id));
  if (noAccount)
    throw new BusinessRuleFailure(
      'NOT_FOUND',
      `Customer ${noAccount.customer_id} has no billing account: sync its ERP financial master`,
      'billing',
      'customerId',
    );
  await requireInvoicingAllowed(sys, mapping, [...new Set([...rules.values()].map((r) => r.customer_id))]);
  const bpOf = (projectId: string) => taxRateBp(mapping, accounts.get(rules.get(projectId)!.customer_id)!.tax_code);

  const tm = runs.filter((r) => rules.get(r.projectId)!.billing_model === 'TIME_AND_MATERIALS');
  // Time past a cap has no amount left to bill: written off, in billing and in time, never invoiced
  // (an invoice of zero took a number and could not post).
  const zero = await zeroItemsDue(sys, tm);
  const writtenOff = zero.length
    ? await billing.writeOffUnbilledItems(
        sys.billing,
        zero.map((i) => i.id),
      )
    : [];
  const zeroEntries = writtenOff.filter((i) => i.source_type === 'TIME_ENTRY').map((i) => i.source_id);
  if (zeroEntries.length) await time.setBillingStatus(sys.time, zeroEntries, 'WRITTEN_OFF');
  const withItems = await projectsWithItemsDue(sys.billing, tm);
  const drafts = await billing.createDraftInvoices(
    sys.billing,
    tm.filter((r) => withItems.has(r.projectId)).map((r) => ({ projectId: r.projectId, through: r.through, taxRateBp: bpOf(r.projectId) })),
    mapping.taxCodes,
  );
  const throughOf = new Map(runs.map((r) => [r.projectId, r.through]));
  // Milestones are few (a handful per project and year): invoiced one by one.
  for (const m of await findMilestonesOfProjects(sys.billing, projectIds)) {
    if (m.status === 'PLANNED' && m.due_date <= throughOf.get(m.project_id)!) {
      drafts.push(
        await billing.createMilestoneInvoice(
          sys.billing,
          { milestoneId: m.id, taxRateBp: bpOf(m.project_id), asOf: throughOf.get(m.project_id)! },
          mapping.taxCodes,
        ),
      );
    }
  }
  // The invoiced hours are billed now: the time system locks them (a change needs a credit memo).
  const draftIds = drafts.map((d) => d.id);
  const lines = draftIds.length ? await findLinesOfInvoices(sys.billing, draftIds) : [];
  const items = lines.length
    ? await findItemsOfLines(
        sys.billing,
        lines.map((l) => l.id),
      )
    : [];
  const invoiceOfLine = new Map(lines.map((l) => [l.id, l.invoice_id]));
  const projectOfInvoice = new Map(drafts.map((i) => [i.id, i.project_id]));
  const billedPerProject = new Map<string, number>();
  const entryIds: string[] = [];
  for (const it of items) {
    if (it.source_type !== 'TIME_ENTRY') continue;
    entryIds.push(it.source_id);
    const p = projectOfInvoice.get(invoiceOfLine.get(it.invoice_line_id!)!)!;
    billedPerProject.set(p, (billedPerProject.get(p) ?? 0) + 1);
  }
  if (entryIds.length) await time.setBillingStatus(sys.time, entryIds, 'BILLED');
  // Issued last: a legal entity's number sequence stays locked from here to the commit, so concurrent
  // batches wait for each other only for this tail, not for the whole batch.
  const issueDateOf = new Map(runs.map((r) => [r.projectId, r.issueDate]));
  const issued: Invoice[] = [];
  for (const date of [...new Set(runs.map((r) => r.issueDate))].sort()) {
    issued.push(
      ...(await billing.issueInvoices(
        sys.billing,
        drafts.filter((d) => issueDateOf.get(d.project_id) === date).map((d) => d.id),
        date,
        clock.now(),
      )),
    );
  }

  await billing.recordBillingRuns(
    sys.billing,
    runs.map((r) => ({
      runKey: r.runKey,
      projectId: r.projectId,
      through: r.through,
      issueDate: r.issueDate,
      invoiceIds: issued.filter((i) => i.project_id === r.projectId).map((i) => i.id),
      writtenOffItemIds: writtenOff.filter((i) => i.project_id === r.projectId).map((i) => i.id),
    })),
  );
  const fresh = new Map(
    runs.map((r): [string, JobResult] => {
      const mine = issued.filter((i) => i.project_id === r.projectId);
      const zeroed = writtenOff.filter((i) => i.project_id === r.projectId).length;
      return [
        r.runKey,
        {
          projectId: r.projectId,
          customerId: rules.get(r.projectId)!.customer_id,
          ...(mine.length === 1 ? { invoiceId: mine[0]!.id } : {}),
          targets: mine.length ? { billing: { Invoice: mine.map((i) => i.id) } } : {},
          detail: {
            invoices: mine.map((i) => i.number),
            through: r.through,
            billedTimeEntries: billedPerProject.get(r.projectId) ?? 0,
            ...(zeroed ? { writtenOffOverCap: zeroed } : {}),
          },
        },
      ];
    }),
  );
  const results = all.map((r) => fresh.get(r.runKey) ?? replayed(r));
  const followUps = issued.map(
    (inv): JobSpec => ({
      kind: 'INVOICE_ISSUED',
      sourceType: 'Invoice',
      sourceId: inv.id,
      customerId: inv.customer_id,
      projectId: inv.project_id,
      invoiceId: inv.id,
    }),
  );
  return { results, followUps };
}

export const billingRun: Flow = {
  kind: 'BILLING_RUN',
  system: 'billing',
  run: async ({ sys, job, mapping, clock, enqueue }) => {
    const { results, followUps } = await runBilling(sys, mapping, clock, [job]);
    for (const f of followUps) await enqueue(f);
    return results[0]!;
  },
  runMany: async ({ sys, jobs, mapping, clock, enqueueMany }) => {
    const { results, followUps } = await runBilling(sys, mapping, clock, jobs);
    await enqueueMany(followUps);
    return results;
  },
};
