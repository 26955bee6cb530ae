/**
 * Flow 3: billing run -> invoices. For one project through a date: a T&M invoice from its unbilled
 * items, and an invoice per milestone due by then; each is issued (gap-free number, due date from the
 * payment terms) and its ERP posting is enqueued in the same transaction. Nothing to bill is a success
 * with no invoice, not an error. Fixed-fee instalments are invoiced by hand for now.
 */
import * as billing from '../../subgraphs/billing/api/index.ts';
import { findAccountsByCustomerIds, findMilestonesOfProjects, findRulesByProjectIds } from '../../subgraphs/billing/data/accounts.ts';
import { findLinesOfInvoices } from '../../subgraphs/billing/data/invoices.ts';
import { findItemsOfLines, findItemsOfProjects } from '../../subgraphs/billing/data/items.ts';
import * as time from '../../subgraphs/time/api.ts';
import type { Invoice } from '../../subgraphs/billing/data/tables.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow } from '../flow.ts';
import { taxRateBp } from './posting.ts';

export const billingRun: Flow = {
  kind: 'BILLING_RUN',
  system: 'billing',
  run: async ({ sys, job, mapping, enqueue }) => {
    const payload = job.payload as { through?: string; issueDate?: string };
    const through = payload.through ?? new Date().toISOString().slice(0, 10);
    const issueDate = payload.issueDate ?? new Date().toISOString().slice(0, 10);
    const projectId = job.source_id;
    const [rule] = await findRulesByProjectIds(sys.billing, [projectId]);
    if (!rule) throw new BusinessRuleFailure('NOT_FOUND', `Project ${projectId} has no billing rule: activate it through the opportunity-won sync first`, 'billing', 'projectId');
    const [account] = await findAccountsByCustomerIds(sys.billing, [rule.customer_id]);
    if (!account) throw new BusinessRuleFailure('NOT_FOUND', `Customer ${rule.customer_id} has no billing account: sync its ERP financial master`, 'billing', 'customerId');
    const bp = taxRateBp(mapping, account.tax_code);

    const drafts: Invoice[] = [];
    if (rule.billing_model === 'TIME_AND_MATERIALS') {
      const due = (await findItemsOfProjects(sys.billing, [projectId], 'UNBILLED')).filter((i) => i.work_date <= through);
      if (due.length) drafts.push(await billing.createDraftInvoice(sys.billing, { projectId, through, taxRateBp: bp }));
    }
    for (const m of await findMilestonesOfProjects(sys.billing, [projectId])) {
      if (m.status === 'PLANNED' && m.due_date <= through) drafts.push(await billing.createMilestoneInvoice(sys.billing, { milestoneId: m.id, taxRateBp: bp, asOf: through }));
    }
    const issued: Invoice[] = [];
    for (const d of drafts) {
      const inv = await billing.issueInvoice(sys.billing, d.id, issueDate);
      issued.push(inv);
      await enqueue({ kind: 'INVOICE_ISSUED', sourceType: 'Invoice', sourceId: inv.id, customerId: inv.customer_id, projectId: inv.project_id, invoiceId: inv.id });
    }
    // The invoiced hours are billed now: the time system locks them (a change needs a credit memo).
    const lines = issued.length ? await findLinesOfInvoices(sys.billing, issued.map((i) => i.id)) : [];
    const items = lines.length ? await findItemsOfLines(sys.billing, lines.map((l) => l.id)) : [];
    const entryIds = items.filter((i) => i.source_type === 'TIME_ENTRY').map((i) => i.source_id);
    if (entryIds.length) await time.setBillingStatus(sys.time, entryIds, 'BILLED');
    return {
      projectId,
      customerId: rule.customer_id,
      ...(issued.length === 1 ? { invoiceId: issued[0].id } : {}),
      targets: issued.length ? { billing: { Invoice: issued.map((i) => i.id) } } : {},
      detail: { invoices: issued.map((i) => i.number), through, billedTimeEntries: entryIds.length },
    };
  },
};
