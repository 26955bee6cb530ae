/**
 * Flow 2: approved time -> billable items. For each approved billable entry of the timesheet on a
 * T&M project: the project must be active and billable in psa, the rate is resolved by the documented
 * order (docs/rates.md), billing rounds the minutes per contract and respects the cap. Fixed-fee and
 * milestone projects bill by instalment, not by hour, so their time creates no items. Chains the
 * project cost posting (flow 7) in the same transaction. Works set-based on a batch of timesheets.
 */
import { GraphQLError } from 'graphql';
import * as billing from '../../subgraphs/billing/api/index.ts';
import { findRulesByProjectIds } from '../../subgraphs/billing/data/accounts.ts';
import { resolveRates } from '../../subgraphs/psa/api/rates.ts';
import { findProjectsByIds } from '../../subgraphs/psa/data/projects.ts';
import type { Job } from '../../subgraphs/sync/data/tables.ts';
import { findEntriesOfTimesheets } from '../../subgraphs/time/data/entries.ts';
import { findTimesheetsByIds } from '../../subgraphs/time/data/timesheets.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow, Systems } from '../flow.ts';
import type { JobResult, JobSpec } from '../ledger.ts';

/**
 * Prices the approved timesheets of `jobs` in a fixed number of statements, however many sheets:
 * the single-job run and the set-based batch are the same code. Any rule violation throws, naming
 * its timesheet; in a batch that sends the engine to one-by-one runs.
 */
async function priceApprovedTime(
  sys: Systems,
  jobs: readonly Job[],
  enqueueFollowUps: (specs: JobSpec[]) => Promise<void>,
): Promise<JobResult[]> {
  const sheetIds = jobs.map((j) => j.source_id);
  const sheets = new Map((await findTimesheetsByIds(sys.time, sheetIds)).map((s) => [s.id, s]));
  for (const id of sheetIds) {
    const sheet = sheets.get(id);
    if (!sheet) throw new BusinessRuleFailure('NOT_FOUND', `Timesheet ${id} does not exist in the time system`, 'time', 'timesheetId');
    if (sheet.status !== 'APPROVED')
      throw new BusinessRuleFailure('INVALID_STATE_TRANSITION', `Timesheet ${sheet.id} is ${sheet.status}, not APPROVED`, 'time', 'status');
  }
  // Each sheet's cost follows, whatever its pricing gives. Enqueued before pricing, because pricing
  // locks capped billing rules until the batch commits: work done after it holds those locks longer.
  await enqueueFollowUps(
    jobs.map(
      (job): JobSpec => ({
        kind: 'PROJECT_COST',
        sourceType: 'Timesheet',
        sourceId: job.source_id,
        payload: { resourceId: sheets.get(job.source_id)!.resource_id },
      }),
    ),
  );
  const entries = (await findEntriesOfTimesheets(sys.time, sheetIds)).filter(
    (e) => e.status === 'APPROVED' && e.billable && e.billing_status === 'UNBILLED',
  );
  const projectIds = [...new Set(entries.map((e) => e.project_id))];
  // Nothing billable on the sheets (all non-billable, say) is a success with no items; SQL gets no empty IN lists.
  const projects = new Map((projectIds.length ? await findProjectsByIds(sys.psa, projectIds) : []).map((p) => [p.id, p]));
  const rules = new Map((projectIds.length ? await findRulesByProjectIds(sys.billing, projectIds) : []).map((r) => [r.project_id, r]));

  for (const e of entries) {
    const p = projects.get(e.project_id);
    if (!p)
      throw new BusinessRuleFailure(
        'NOT_FOUND',
        `Timesheet ${e.timesheet_id} has time on project ${e.project_id}, which psa does not know: correct the entries`,
        'psa',
        'projectId',
      );
    if (p.status !== 'ACTIVE')
      throw new BusinessRuleFailure(
        'PROJECT_NOT_ACTIVE',
        `Project ${p.code} is ${p.status}: billable time needs an active project`,
        'psa',
        'projectId',
      );
    if (!rules.has(p.id) && p.billable)
      throw new BusinessRuleFailure(
        'NOT_FOUND',
        `Project ${p.code} has no billing rule: activate it through the opportunity-won sync first`,
        'billing',
        'projectId',
      );
  }
  const billed = entries.filter(
    (e) => projects.get(e.project_id)!.billable && rules.get(e.project_id)?.billing_model === 'TIME_AND_MATERIALS',
  );
  const rates = await resolveRates(
    sys.psa,
    billed.map((e) => ({
      projectId: e.project_id,
      resourceId: e.resource_id,
      date: e.work_date,
      entryOverrideMinor: e.rate_override_minor,
    })),
  );
  const failed = rates.findIndex((r) => r instanceof GraphQLError);
  if (failed >= 0) {
    const e = billed[failed]!;
    throw new BusinessRuleFailure(
      'RATE_NOT_FOUND',
      `No rate for resource ${e.resource_id} on project ${e.project_id} at ${e.work_date}: ${(rates[failed] as GraphQLError).message}`,
      'psa',
      'rate',
    );
  }
  const items = await billing.createBillableItems(
    sys.billing,
    billed.map((e, i) => {
      const rate = rates[i] as Exclude<(typeof rates)[number], GraphQLError>;
      return {
        sourceType: 'TIME_ENTRY' as const,
        sourceId: e.id,
        projectId: e.project_id,
        customerId: e.customer_id,
        resourceId: e.resource_id,
        role: rate.role,
        workDate: e.work_date,
        sourceMinutes: e.minutes,
        rateMinor: rate.rateMinor,
        rateSource: rate.source,
        currency: rate.currency,
      };
    }),
  );
  const sheetOfEntry = new Map(billed.map((e) => [e.id, e.timesheet_id]));
  const results = jobs.map((job): JobResult => {
    const sheetEntries = entries.filter((e) => e.timesheet_id === job.source_id);
    const sheetItems = items.filter((i) => sheetOfEntry.get(i.source_id) === job.source_id);
    const sheetProjects = [...new Set(sheetEntries.map((e) => e.project_id))];
    return {
      ...(sheetProjects.length === 1
        ? { projectId: sheetProjects[0], customerId: projects.get(sheetProjects[0]!)?.customer_id ?? null }
        : {}),
      targets: sheetItems.length ? { billing: { BillableItem: sheetItems.map((i) => i.id) } } : {},
      detail: { entries: sheetEntries.length, billableItems: sheetItems.length },
    };
  });
  return results;
}

export const timeApproved: Flow = {
  kind: 'TIME_APPROVED',
  system: 'billing',
  // Started by TIMESHEET_APPROVED (lib/triggers.ts), fired in the transaction of the write that caused it.
  trigger: {
    event: 'TIMESHEET_APPROVED',
    job: (event) => ({ sourceType: 'Timesheet', sourceId: event.timesheetId, payload: { resourceId: event.resourceId } }),
  },
  run: async ({ sys, job, enqueue }) => {
    const results = await priceApprovedTime(sys, [job], async (specs) => {
      for (const f of specs) await enqueue(f);
    });
    return results[0]!;
  },
  runMany: ({ sys, jobs, enqueueMany }) => priceApprovedTime(sys, jobs, enqueueMany),
};
