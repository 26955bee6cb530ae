import { appError } from '../../../lib/errors.ts';
import { findInvoicesByIds } from '../../billing/api/reads.ts';
import { findOpportunitiesByIds } from '../../crm/api/reads.ts';
import { findProjectsByIds } from '../../psa/api/reads.ts';
import { findTimesheetsByIds } from '../../time/api/reads.ts';
import type { StartRequest } from '../api/index.ts';
import type { ReadSystems } from '../reconciliation/systems.ts';

/** How to find the record an operator starts a flow for, in the system that owns it. */
const FINDERS: Partial<Record<StartRequest['kind'], (sys: ReadSystems, ids: string[]) => Promise<{ id: string }[]>>> = {
  OPPORTUNITY_WON: (sys, ids) => findOpportunitiesByIds(sys.crm, ids),
  TIME_APPROVED: (sys, ids) => findTimesheetsByIds(sys.time, ids),
  INVOICE_ISSUED: (sys, ids) => findInvoicesByIds(sys.billing, ids),
  BILLING_RUN: (sys, ids) => findProjectsByIds(sys.psa, ids),
};

/**
 * A flow started by hand for a record that does not exist is refused with NOT_FOUND, nothing
 * enqueued: the job used to be queued, run, and fail later as an exception for an id with a typo.
 */
export async function requireSources(sys: ReadSystems, requests: readonly StartRequest[]): Promise<void> {
  const byKind = new Map<StartRequest['kind'], Set<string>>();
  for (const r of requests) byKind.set(r.kind, (byKind.get(r.kind) ?? new Set()).add(r.sourceId));
  for (const [kind, ids] of byKind) {
    const find = FINDERS[kind];
    if (!find) continue;
    const found = new Set((await find(sys, [...ids])).map((row) => row.id));
    const missing = [...ids].find((id) => !found.has(id));
    if (missing)
      throw appError('NOT_FOUND', `${requests.find((r) => r.sourceId === missing)!.sourceType} ${missing} does not exist`, { id: missing });
  }
}
