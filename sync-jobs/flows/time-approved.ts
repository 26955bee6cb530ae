/**
 * Flow 2: approved time -> billable items. For each approved billable entry of the timesheet on a
 * T&M project: the project must be active and billable in psa, the rate is resolved by the documented
 * order (docs/rates.md), billing rounds the minutes per contract and respects the cap. Fixed-fee and
 * milestone projects bill by instalment, not by hour, so their time creates no items. Chains the
 * project cost posting (flow 7) in the same transaction.
 */
import { GraphQLError } from 'graphql';
import * as billing from '../../subgraphs/billing/api/index.ts';
import { findRulesByProjectIds } from '../../subgraphs/billing/data/accounts.ts';
import { findProjectsByIds } from '../../subgraphs/psa/data/projects.ts';
import { resolveRates } from '../../subgraphs/psa/rates.ts';
import { findEntriesOfTimesheets } from '../../subgraphs/time/data/entries.ts';
import { findTimesheetsByIds } from '../../subgraphs/time/data/timesheets.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow } from '../flow.ts';

export const timeApproved: Flow = {
  kind: 'TIME_APPROVED',
  system: 'billing',
  run: async ({ sys, job, enqueue }) => {
    const [sheet] = await findTimesheetsByIds(sys.time, [job.source_id]);
    if (!sheet) throw new BusinessRuleFailure('NOT_FOUND', `Timesheet ${job.source_id} does not exist in the time system`, 'time', 'timesheetId');
    if (sheet.status !== 'APPROVED') throw new BusinessRuleFailure('INVALID_STATE_TRANSITION', `Timesheet ${sheet.id} is ${sheet.status}, not APPROVED`, 'time', 'status');
    const entries = (await findEntriesOfTimesheets(sys.time, [sheet.id])).filter((e) => e.status === 'APPROVED' && e.billable && e.billing_status === 'UNBILLED');
    const projectIds = [...new Set(entries.map((e) => e.project_id))];
    // Nothing billable on the sheet (all non-billable, say) is a success with no items; SQL gets no empty IN lists.
    const projects = new Map((projectIds.length ? await findProjectsByIds(sys.psa, projectIds) : []).map((p) => [p.id, p]));
    const rules = new Map((projectIds.length ? await findRulesByProjectIds(sys.billing, projectIds) : []).map((r) => [r.project_id, r]));

    for (const id of projectIds) {
      const p = projects.get(id);
      if (!p) throw new BusinessRuleFailure('NOT_FOUND', `Timesheet ${sheet.id} has time on project ${id}, which psa does not know: correct the entries`, 'psa', 'projectId');
      if (p.status !== 'ACTIVE') throw new BusinessRuleFailure('PROJECT_NOT_ACTIVE', `Project ${p.code} is ${p.status}: billable time needs an active project`, 'psa', 'projectId');
      if (!rules.has(id) && p.billable) throw new BusinessRuleFailure('NOT_FOUND', `Project ${p.code} has no billing rule: activate it through the opportunity-won sync first`, 'billing', 'projectId');
    }
    const billed = entries.filter((e) => projects.get(e.project_id)!.billable && rules.get(e.project_id)?.billing_model === 'TIME_AND_MATERIALS');
    const rates = await resolveRates(
      sys.psa,
      billed.map((e) => ({ projectId: e.project_id, resourceId: e.resource_id, date: e.work_date, entryOverrideMinor: e.rate_override_minor })),
    );
    const failed = rates.findIndex((r) => r instanceof GraphQLError);
    if (failed >= 0) {
      const e = billed[failed];
      throw new BusinessRuleFailure('RATE_NOT_FOUND', `No rate for resource ${e.resource_id} on project ${e.project_id} at ${e.work_date}: ${(rates[failed] as GraphQLError).message}`, 'psa', 'rate');
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
    await enqueue({ kind: 'PROJECT_COST', sourceType: 'Timesheet', sourceId: sheet.id, payload: { resourceId: sheet.resource_id } });
    return {
      ...(projectIds.length === 1 ? { projectId: projectIds[0], customerId: projects.get(projectIds[0])?.customer_id ?? null } : {}),
      targets: items.length ? { billing: { BillableItem: items.map((i) => i.id) } } : {},
      detail: { entries: entries.length, billableItems: items.length },
    };
  },
};
