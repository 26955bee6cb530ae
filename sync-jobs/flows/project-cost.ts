/**
 * Flow 7: approved hours at cost -> erp, so margin = revenue - cost per project. One journal per
 * approved timesheet and project: debit the service line's cost account, credit accrued cost, at the
 * resource's cost rate, in the project's legal entity, dated the last day of the timesheet's week.
 */
import { amountForMinutes, formatMoney } from '../../lib/money.ts';
import { findProjectsByIds } from '../../subgraphs/psa/data/projects.ts';
import { findResourcesByIds } from '../../subgraphs/psa/data/resources.ts';
import { findEntriesOfTimesheets } from '../../subgraphs/time/data/entries.ts';
import { findTimesheetsByIds } from '../../subgraphs/time/data/timesheets.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow } from '../flow.ts';
import { entityAccounts, postWithPolicy, serviceLineAccounts } from './posting.ts';

export const projectCost: Flow = {
  kind: 'PROJECT_COST',
  system: 'erp',
  run: async ({ sys, job, mapping }) => {
    const [sheet] = await findTimesheetsByIds(sys.time, [job.source_id]);
    if (!sheet || sheet.status !== 'APPROVED') throw new BusinessRuleFailure('INVALID_STATE_TRANSITION', `Timesheet ${job.source_id} is not approved`, 'time', 'timesheetId');
    const [resource] = await findResourcesByIds(sys.psa, [sheet.resource_id]);
    if (!resource) throw new BusinessRuleFailure('NOT_FOUND', `Resource ${sheet.resource_id} is not in psa: its cost rate is unknown`, 'psa', 'resourceId');
    const entries = (await findEntriesOfTimesheets(sys.time, [sheet.id])).filter((e) => e.status === 'APPROVED');
    const minutesByProject = new Map<string, number>();
    for (const e of entries) minutesByProject.set(e.project_id, (minutesByProject.get(e.project_id) ?? 0) + e.minutes);
    const projects = new Map((minutesByProject.size ? await findProjectsByIds(sys.psa, [...minutesByProject.keys()]) : []).map((p) => [p.id, p]));
    const weekEnd = new Date(Date.parse(`${sheet.week_start}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
    const journals: string[] = [];
    for (const [projectId, minutes] of minutesByProject) {
      const project = projects.get(projectId);
      if (!project) throw new BusinessRuleFailure('NOT_FOUND', `Timesheet ${sheet.id} has time on project ${projectId}, which psa does not know`, 'psa', 'projectId');
      const cost = amountForMinutes(resource.cost_rate_minor, minutes);
      if (cost === 0) continue;
      const dims = { customerId: project.customer_id, projectId: project.id, serviceLine: project.service_line };
      const entry = await postWithPolicy(sys.erp, mapping, {
        legalEntityId: project.legal_entity_id,
        date: weekEnd,
        sourceType: 'PROJECT_COST',
        sourceId: `${sheet.id}:${project.id}`,
        memo: `Cost of ${minutes / 60} h by ${resource.name} on ${project.code}, week of ${sheet.week_start}`,
        currency: resource.cost_currency,
        lines: [
          { accountCode: serviceLineAccounts(mapping, project.service_line).costAccount, debit: formatMoney(cost, resource.cost_currency), ...dims, sourceLineType: 'TIMESHEET', sourceLineId: sheet.id },
          { accountCode: entityAccounts(mapping, project.legal_entity_id).accruedCost, credit: formatMoney(cost, resource.cost_currency), ...dims },
        ],
      });
      journals.push(entry.id);
    }
    return { targets: journals.length ? { erp: { JournalEntry: journals } } : {}, ...(journals.length === 1 ? { journalEntryId: journals[0] } : {}) };
  },
};
