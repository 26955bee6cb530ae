import { IdSequence } from '../ids.ts';
import type { SyncJobRow } from '../types.ts';
import type { BillingFacts } from './billing.ts';
import type { GenContext } from './context.ts';

const WORKER = 'seed-worker-1';

/**
 * A SUCCEEDED sync job per past flow (OPPORTUNITY_WON per project, INVOICE_ISSUED per invoice,
 * PAYMENT_RECEIVED per payment), each with one attempt and its QUEUED/RUNNING/SUCCEEDED events,
 * shaped as the sync ledger (sync-jobs/ledger.ts) writes them. Events are numbered in time order.
 */
export function generateSync(ctx: GenContext, facts: BillingFacts): void {
  const rng = ctx.rng('sync');
  const ids = new IdSequence('job', 6);
  const version = ctx.mapping.version;
  const jobs: { row: Omit<SyncJobRow, 'id' | 'created_at' | 'updated_at' | 'started_at' | 'finished_at'>; at: number }[] = [];
  const ms = (iso: string) => Date.parse(iso);
  const base = {
    status: 'SUCCEEDED' as const,
    trigger: 'AUTOMATIC' as const,
    triggered_by: null,
    mapping_version: version,
    attempts: 1,
    max_attempts: 5,
  };

  const opps = new Map(ctx.tables['crm.opportunities'].map((o) => [o.id, o]));
  const receivables = new Map(ctx.tables['erp.receivables'].map((r) => [r.invoice_id, r.id]));
  for (const p of ctx.projects) {
    const opp = opps.get(p.opportunityId)!;
    jobs.push({
      at: ms(opp.won_at!) + 1000,
      row: {
        ...base,
        kind: 'OPPORTUNITY_WON',
        source_type: 'Opportunity',
        source_id: opp.id,
        source_key: opp.id,
        customer_id: p.row.customer_id,
        project_id: p.row.id,
        invoice_id: null,
        journal_entry_id: null,
        target_refs: {
          psa: { project: p.row.id, contract: p.contract.id },
          billing: { rule: p.row.id },
          erp: { contractRef: p.contract.id },
        },
        payload: { opportunityId: opp.id },
      },
    });
  }
  for (const inv of facts.invoices) {
    const je = ctx.journalEntryIdOf.get(`INVOICE:${inv.row.id}`) ?? null;
    jobs.push({
      at: ms(inv.row.issued_at!) + 2000,
      row: {
        ...base,
        kind: 'INVOICE_ISSUED',
        source_type: 'Invoice',
        source_id: inv.row.id,
        source_key: inv.row.id,
        customer_id: inv.row.customer_id,
        project_id: inv.row.project_id,
        invoice_id: inv.row.id,
        journal_entry_id: je,
        target_refs: { erp: { journalEntry: je ?? '', receivable: receivables.get(inv.row.id) ?? '' } },
        payload: { invoiceId: inv.row.id, number: inv.row.number },
      },
    });
  }
  const payments = new Map(ctx.tables['erp.payments'].map((p) => [p.id, p]));
  for (const pay of facts.payments) {
    const erp = payments.get(pay.erpPaymentId)!;
    jobs.push({
      at: ms(erp.created_at) + 3000,
      row: {
        ...base,
        kind: 'PAYMENT_RECEIVED',
        source_type: 'Payment',
        source_id: pay.erpPaymentId,
        source_key: pay.erpPaymentId,
        customer_id: pay.invoice.row.customer_id,
        project_id: pay.invoice.row.project_id,
        invoice_id: pay.invoice.row.id,
        journal_entry_id: erp.journal_entry_id,
        target_refs: { billing: { invoicePayment: pay.invoicePaymentId } },
        payload: { paymentId: pay.erpPaymentId, invoiceId: pay.invoice.row.id, amountMinor: pay.amountMinor },
      },
    });
  }
  jobs.sort((a, b) => a.at - b.at || a.row.source_id.localeCompare(b.row.source_id));
  const events: { at: number; row: (typeof ctx.tables)['sync.job_events'][number] }[] = [];
  for (const j of jobs) {
    const id = ids.next();
    const queued = j.at;
    const started = queued + rng.int(200, 4000);
    const finished = started + rng.int(80, 2500);
    const iso = (t: number) => new Date(t).toISOString();
    ctx.tables['sync.jobs'].push({
      id,
      ...j.row,
      created_at: iso(queued),
      updated_at: iso(finished),
      started_at: iso(started),
      finished_at: iso(finished),
    });
    ctx.tables['sync.job_attempts'].push({
      job_id: id,
      attempt_no: 1,
      worker_id: WORKER,
      started_at: iso(started),
      finished_at: iso(finished),
      outcome: 'SUCCEEDED',
    });
    events.push(
      { at: queued, row: { job_id: id, status: 'QUEUED', event: 'QUEUED', detail: { trigger: 'AUTOMATIC' }, at: iso(queued) } },
      { at: started, row: { job_id: id, status: 'RUNNING', event: 'STARTED', detail: { attempt: 1, worker: WORKER }, at: iso(started) } },
      { at: finished, row: { job_id: id, status: 'SUCCEEDED', event: 'SUCCEEDED', detail: { attempt: 1 }, at: iso(finished) } },
    );
  }
  events.sort((a, b) => a.at - b.at);
  for (const e of events) ctx.tables['sync.job_events'].push(e.row);
}
