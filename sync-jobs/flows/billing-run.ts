/**
 * Flow 3: billing run -> invoices. For one project through a date: a T&M invoice from its unbilled
 * items, and an invoice per milestone due by then; each is issued (gap-free number, due date from the
 * payment terms) and its ERP posting is enqueued in the same transaction. Nothing to bill is a success
 * with no invoice, not an error. Fixed-fee instalments are invoiced by hand for now. A billing cycle
 * starts hundreds of runs at once, so the flow works set-based on a batch of projects.
 */

import type { Clock } from '../../lib/clock.ts';
import type { Mapping } from '../../lib/mapping.ts';
import * as billing from '../../subgraphs/billing/api/index.ts';
import { findAccountsByCustomerIds, findMilestonesOfProjects, findRulesByProjectIds } from '../../subgraphs/billing/data/accounts.ts';
import { findLinesOfInvoices } from '../../subgraphs/billing/data/invoices.ts';
import { findItemsOfLines, projectsWithItemsDue } from '../../subgraphs/billing/data/items.ts';
import type { Invoice } from '../../subgraphs/billing/data/tables.ts';
import type { Job } from '../../subgraphs/sync/data/tables.ts';
import * as time from '../../subgraphs/time/api.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow, Systems } from '../flow.ts';
import type { JobResult, JobSpec } from '../ledger.ts';
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

/** The billing runs of `jobs` (one project each) in a fixed number of statements; any rule violation throws. */
async function runBilling(
  sys: Systems,
  mapping: Mapping,
  clock: Clock,
  jobs: readonly Job[],
): Promise<{ results: JobResult[]; followUps: JobSpec[] }> {
  const runs = jobs.map((job) => ({ projectId: job.source_id, ...datesOf(job) }));
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
  const bpOf = (projectId: string) => taxRateBp(mapping, accounts.get(rules.get(projectId)!.customer_id)!.tax_code);

  const tm = runs.filter((r) => rules.get(r.projectId)!.billing_model === 'TIME_AND_MATERIALS');
  const withItems = await projectsWithItemsDue(sys.billing, tm);
  const drafts = await billing.createDraftInvoices(
    sys.billing,
    tm.filter((r) => withItems.has(r.projectId)).map((r) => ({ projectId: r.projectId, through: r.through, taxRateBp: bpOf(r.projectId) })),
  );
  const throughOf = new Map(runs.map((r) => [r.projectId, r.through]));
  // Milestones are few (a handful per project and year): invoiced one by one.
  for (const m of await findMilestonesOfProjects(sys.billing, projectIds)) {
    if (m.status === 'PLANNED' && m.due_date <= throughOf.get(m.project_id)!) {
      drafts.push(
        await billing.createMilestoneInvoice(sys.billing, {
          milestoneId: m.id,
          taxRateBp: bpOf(m.project_id),
          asOf: throughOf.get(m.project_id)!,
        }),
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

  const results = runs.map((r): JobResult => {
    const mine = issued.filter((i) => i.project_id === r.projectId);
    return {
      projectId: r.projectId,
      customerId: rules.get(r.projectId)!.customer_id,
      ...(mine.length === 1 ? { invoiceId: mine[0]!.id } : {}),
      targets: mine.length ? { billing: { Invoice: mine.map((i) => i.id) } } : {},
      detail: { invoices: mine.map((i) => i.number), through: r.through, billedTimeEntries: billedPerProject.get(r.projectId) ?? 0 },
    };
  });
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
