/**
 * Flow 6b: a rate card rate or an override changed -> unbilled time is repriced; invoiced time keeps
 * its rate. Affected projects: those on the rate card, the override's project, or all projects of the
 * override's customer. Every UNBILLED item of them is priced again by the documented order
 * (docs/rates.md); billing changes only those whose rate or capped amount moves.
 */
import { GraphQLError } from 'graphql';
import * as billing from '../../subgraphs/billing/api/index.ts';
import { findItemsOfProjects } from '../../subgraphs/billing/data/items.ts';
import { resolveRates } from '../../subgraphs/psa/api/rates.ts';
import { BusinessRuleFailure } from '../failures.ts';
import type { Flow } from '../flow.ts';

export const ratesChanged: Flow = {
  kind: 'RATE_CARD_CHANGED',
  system: 'billing',
  // Started by RATES_CHANGED (lib/triggers.ts), fired in the transaction of the write that caused it.
  trigger: {
    event: 'RATES_CHANGED',
    job: (event) => ({
      sourceType: event.rateCardId ? 'RateCardRate' : 'RateOverride',
      sourceId: event.changeId,
      projectId: event.projectId ?? null,
      customerId: event.customerId ?? null,
      payload: { rateCardId: event.rateCardId ?? null, projectId: event.projectId ?? null, customerId: event.customerId ?? null },
    }),
  },
  run: async ({ sys, job }) => {
    const p = job.payload as { rateCardId?: string | null; projectId?: string | null; customerId?: string | null };
    let q = sys.psa.selectFrom('psa.projects').select('id');
    if (p.rateCardId) q = q.where('rate_card_id', '=', p.rateCardId);
    else if (p.projectId) q = q.where('id', '=', p.projectId);
    else if (p.customerId) q = q.where('customer_id', '=', p.customerId);
    else throw new BusinessRuleFailure('BAD_USER_INPUT', `Job ${job.id} names no rate card, project or customer`, 'sync', 'payload');
    const projectIds = (await q.execute()).map((r) => r.id);
    const items = projectIds.length ? await findItemsOfProjects(sys.billing, projectIds, 'UNBILLED') : [];
    const rates = await resolveRates(
      sys.psa,
      items.map((i) => ({ projectId: i.project_id, resourceId: i.resource_id, role: i.role, date: i.work_date })),
    );
    // An item that was priced by an entry override keeps it: the rate card does not govern it.
    const reprice = items.flatMap((item, k) => {
      const r = rates[k];
      if (r instanceof GraphQLError || item.rate_source === 'ENTRY_OVERRIDE') return [];
      return [{ itemId: item.id, rateMinor: r.rateMinor, rateSource: r.source }];
    });
    const changed = await billing.repriceUnbilledItems(sys.billing, reprice);
    return {
      targets: changed.length ? { billing: { BillableItem: changed.map((i) => i.id) } } : {},
      detail: { projects: projectIds.length, unbilledItems: items.length, repriced: changed.length },
    };
  },
};
