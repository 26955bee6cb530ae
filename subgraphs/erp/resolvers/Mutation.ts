import { ledgerPolicy } from '../../../lib/ledger-policy.ts';
import { requireRole } from '../../../lib/principal.ts';
import * as api from '../api/index.ts';
import type { ErpContext } from '../context.ts';
import type * as gql from './types.generated.ts';

type Ctx = ErpContext;

/** Every posting of this request follows the mapping the process was started with. */
const policyOf = (ctx: Ctx) => ledgerPolicy(ctx.mapping);
const actorOf = (ctx: Ctx) => ctx.viewer?.sub ?? null;

export const MutationResolvers: gql.MutationResolvers = {
  createLegalEntity: (_, a, ctx) => api.createLegalEntity(ctx.db, a.input),
  createAccount: (_, a, ctx) => api.createAccount(ctx.db, a.input),
  openPeriod: (_, a, ctx) => api.openPeriod(ctx.db, a.legalEntityId, a.code),
  closePeriod: (_, a, ctx) => api.closePeriod(ctx.db, a.legalEntityId, a.code, ctx.clock.now(), actorOf(ctx)),
  // Reopening undoes a close finance relied on: admins only, with a reason, recorded (docs/money.md).
  reopenPeriod: (_, a, ctx) => {
    requireRole(ctx.viewer, ['admin'], 'reopen a closed period');
    return api.reopenPeriod(ctx.db, a.legalEntityId, a.code, ctx.clock.now(), actorOf(ctx), a.reason ?? null);
  },
  setFxRate: (_, a, ctx) => api.setFxRate(ctx.db, a.from, a.to, a.date, a.rate),
  upsertCustomerFinancialMaster: (_, a, ctx) =>
    api.upsertCustomerFinancialMaster(ctx.db, a.customerId, a.input, (trx, m) =>
      ctx.triggers.fire(trx, {
        type: 'CUSTOMER_MASTER_CHANGED',
        customerId: m.customer_id,
        changedAt: new Date(m.updated_at).toISOString(),
      }),
    ),
  postJournalEntry: (_, a, ctx) => api.postJournalEntry(ctx.db, a.input, { ...(a.options ?? {}), policy: policyOf(ctx) }),
  reverseJournalEntry: (_, a, ctx) =>
    api.reverseJournalEntry(ctx.db, a.entryId, a.date, a.sourceType, a.sourceId, { ...(a.options ?? {}), policy: policyOf(ctx) }),
  createReceivable: (_, a, ctx) => api.createReceivable(ctx.db, a.input),
  recordPayment: (_, a, ctx) =>
    api.recordPayment(ctx.db, a.input, { ...(a.options ?? {}), policy: policyOf(ctx) }, (trx, p) =>
      ctx.triggers.fire(trx, { type: 'PAYMENT_RECORDED', paymentId: p.id, invoiceId: p.invoice_id, customerId: p.customer_id }),
    ),
  writeOffReceivable: (_, a, ctx) =>
    api.writeOffReceivable(ctx.db, a.input, policyOf(ctx), (trx, w) =>
      ctx.triggers.fire(trx, { type: 'RECEIVABLE_WRITTEN_OFF', writeOffId: w.id, invoiceId: w.invoice_id, customerId: w.customer_id }),
    ),
  refundCustomerCredit: (_, a, ctx) => api.refundCustomerCredit(ctx.db, a.input, policyOf(ctx)),
  upsertContractRef: (_, a, ctx) => api.upsertContractRef(ctx.db, a.input),
};
