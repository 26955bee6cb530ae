/**
 * Flow 7: approved hours at cost -> erp, so margin = revenue - cost per project. One journal per
 * approved timesheet and project: debit the service line's cost account, credit accrued cost, at the
 * resource's cost rate, in the project's legal entity, dated the last day of the timesheet's week.
 * Works set-based on a batch of timesheets.
 */

import type { Mapping } from '../../lib/mapping.ts';
import { amountForMinutes, formatMoney } from '../../lib/money.ts';
import type { PostJournalEntryInput } from '../../subgraphs/erp/api/index.ts';
import { findProjectsByIds } from '../../subgraphs/psa/data/projects.ts';
import { findResourcesByIds } from '../../subgraphs/psa/data/resources.ts';
import type { Job } from '../../subgraphs/sync/data/tables.ts';
import { findEntriesOfTimesheets } from '../../subgraphs/time/data/entries.ts';
import { findTimesheetsByIds } from '../../subgraphs/time/data/timesheets.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow, Systems } from '../flow.ts';
import type { JobResult } from '../ledger.ts';
import { entityAccounts, postManyWithPolicy, serviceLineAccounts } from './posting.ts';

/**
 * The cost journals of the approved timesheets of `jobs`, posted in one bulk posting: the single-job
 * run and the set-based batch are the same code.
 */
async function postTimeCost(sys: Systems, mapping: Mapping, jobs: readonly Job[]): Promise<JobResult[]> {
  const sheetIds = jobs.map((j) => j.source_id);
  const sheets = new Map((await findTimesheetsByIds(sys.time, sheetIds)).map((s) => [s.id, s]));
  for (const id of sheetIds) {
    if (sheets.get(id)?.status !== 'APPROVED')
      throw new BusinessRuleFailure('INVALID_STATE_TRANSITION', `Timesheet ${id} is not approved`, 'time', 'timesheetId');
  }
  const resources = new Map(
    (await findResourcesByIds(sys.psa, [...new Set([...sheets.values()].map((s) => s.resource_id))])).map((r) => [r.id, r]),
  );
  for (const sheet of sheets.values()) {
    if (!resources.has(sheet.resource_id))
      throw new BusinessRuleFailure(
        'NOT_FOUND',
        `Resource ${sheet.resource_id} is not in psa: its cost rate is unknown`,
        'psa',
        'resourceId',
      );
  }
  const entries = (await findEntriesOfTimesheets(sys.time, sheetIds)).filter((e) => e.status === 'APPROVED');
  const projectIds = [...new Set(entries.map((e) => e.project_id))];
  const projects = new Map((projectIds.length ? await findProjectsByIds(sys.psa, projectIds) : []).map((p) => [p.id, p]));
  // Minutes per sheet and project, in entry order, so each sheet's journals come out in a stable order.
  const minutes = new Map<string, Map<string, number>>(sheetIds.map((id) => [id, new Map()]));
  for (const e of entries) {
    const bySheet = minutes.get(e.timesheet_id)!;
    bySheet.set(e.project_id, (bySheet.get(e.project_id) ?? 0) + e.minutes);
  }
  const postings: { sheetId: string; input: PostJournalEntryInput }[] = [];
  for (const [sheetId, byProject] of minutes) {
    const sheet = sheets.get(sheetId)!;
    const resource = resources.get(sheet.resource_id)!;
    const weekEnd = new Date(Date.parse(`${sheet.week_start}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
    for (const [projectId, mins] of byProject) {
      const project = projects.get(projectId);
      if (!project)
        throw new BusinessRuleFailure(
          'NOT_FOUND',
          `Timesheet ${sheet.id} has time on project ${projectId}, which psa does not know`,
          'psa',
          'projectId',
        );
      const cost = amountForMinutes(resource.cost_rate_minor, mins);
      if (cost === 0) continue;
      const dims = { customerId: project.customer_id, projectId: project.id, serviceLine: project.service_line };
      postings.push({
        sheetId,
        input: {
          legalEntityId: project.legal_entity_id,
          date: weekEnd,
          sourceType: 'PROJECT_COST',
          sourceId: `${sheet.id}:${project.id}`,
          memo: `Cost of ${mins / 60} h by ${resource.name} on ${project.code}, week of ${sheet.week_start}`,
          currency: resource.cost_currency,
          lines: [
            {
              accountCode: serviceLineAccounts(mapping, project.service_line).costAccount,
              debit: formatMoney(cost, resource.cost_currency),
              ...dims,
              sourceLineType: 'TIMESHEET',
              sourceLineId: sheet.id,
            },
            {
              accountCode: entityAccounts(mapping, project.legal_entity_id).accruedCost,
              credit: formatMoney(cost, resource.cost_currency),
              ...dims,
              sourceLineType: 'PROJECT_COST',
              sourceLineId: `${sheet.id}:${project.id}`,
            },
          ],
        },
      });
    }
  }
  const entriesPosted = await postManyWithPolicy(
    sys.erp,
    mapping,
    postings.map((p) => p.input),
  );
  return sheetIds.map((id) => {
    const journals = entriesPosted.filter((_, i) => postings[i]!.sheetId === id).map((e) => e.id);
    return {
      targets: journals.length ? { erp: { JournalEntry: journals } } : {},
      ...(journals.length === 1 ? { journalEntryId: journals[0] } : {}),
    };
  });
}

export const projectCost: Flow = {
  kind: 'PROJECT_COST',
  system: 'erp',
  run: async ({ sys, job, mapping }) => (await postTimeCost(sys, mapping, [job]))[0]!,
  runMany: ({ sys, jobs, mapping }) => postTimeCost(sys, mapping, jobs),
};
