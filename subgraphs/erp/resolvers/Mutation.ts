import { ledgerPolicy } from '../../../lib/ledger-policy.ts';
import { requireRole } from '../../../lib/principal.ts';
import * as api from '../api/index.ts';
import type { ErpContext } from '../context.ts';

type Ctx = ErpContext;
type PostingOptions = { options?: api.PostingOptions | null };

/** Every posting of this request follows the mapping the process was started with. */
const policyOf = (ctx: Ctx) => ledgerPolicy(ctx.mapping);
const actorOf = (ctx: Ctx) => ctx.viewer?.sub ?? null;

export const MutationResolvers = {
  createLegalEntity: (_: unknown, a: { input: api.CreateLegalEntityInput }, ctx: Ctx) => api.createLegalEntity(ctx.db, a.input),
  createAccount: (_: unknown, a: { input: api.CreateAccountInput }, ctx: Ctx) => api.createAccount(ctx.db, a.input),
  openPeriod: (_: unknown, a: { legalEntityId: string; code: string }, ctx: Ctx) => api.openPeriod(ctx.db, a.legalEntityId, a.code),
  closePeriod: (_: unknown, a: { legalEntityId: string; code: string }, ctx: Ctx) =>
    api.closePeriod(ctx.db, a.legalEntityId, a.code, ctx.clock.now(), actorOf(ctx)),
  // Reopening undoes a close finance relied on: admins only, with a reason, recorded (docs/money.md).
  reopenPeriod: (_: unknown, a: { legalEntityId: string; code: string; reason?: string | null }, ctx: Ctx) => {
    requireRole(ctx.viewer, ['admin'], 'reopen a closed period');
    return api.reopenPeriod(ctx.db, a.legalEntityId, a.code, ctx.clock.now(), actorOf(ctx), a.reason ?? null);
  },
  setFxRate: (_: unknown, a: { from: string; to: string; date: string; rate: string }, ctx: Ctx) =>
    api.setFxRate(ctx.db, a.from, a.to, a.date, a.rate),
  upsertCustomerFinancialMaster: (_: unknown, a: { customerId: string; input: api.CustomerFinancialMasterInput }, ctx: Ctx) =>
    api.upsertCustomerFinancialMaster(ctx.db, a.customerId, a.input, (trx, m) =>
      ctx.triggers.fire(trx, {
        type: 'CUSTOMER_MASTER_CHANGED',
        customerId: m.customer_id,
        changedAt: new Date(m.updated_at).toISOString(),
      }),
    ),
  postJournalEntry: (_: unknown, a: { input: api.PostJournalEntryInput } & PostingOptions, ctx: Ctx) =>
    api.postJournalEntry(ctx.db, a.input, { ...(a.options ?? {}), policy: policyOf(ctx) }),
  reverseJournalEntry: (
    _: unknown,
    a: { entryId: string; date: string; sourceType: string; sourceId: string } & PostingOptions,
    ctx: Ctx,
  ) => api.reverseJournalEntry(ctx.db, a.entryId, a.date, a.sourceType, a.sourceId, { ...(a.options ?? {}), policy: policyOf(ctx) }),
  createReceivable: (_: unknown, a: { input: api.CreateReceivableInput }, ctx: Ctx) => api.createReceivable(ctx.db, a.input),
  recordPayment: (_: unknown, a: { input: api.RecordPaymentInput; options?: api.PaymentPostingOptions | null }, ctx: Ctx) =>
    api.recordPayment(ctx.db, a.input, { ...(a.options ?? {}), policy: policyOf(ctx) }, (trx, p) =>
      ctx.triggers.fire(trx, { type: 'PAYMENT_RECORDED', paymentId: p.id, invoiceId: p.invoice_id, customerId: p.customer_id }),
    ),
  writeOffReceivable: (_: unknown, a: { input: api.WriteOffInput }, ctx: Ctx) =>
    api.writeOffReceivable(ctx.db, a.input, policyOf(ctx), (trx, w) =>
      ctx.triggers.fire(trx, { type: 'RECEIVABLE_WRITTEN_OFF', writeOffId: w.id, invoiceId: w.invoice_id, customerId: w.customer_id }),
    ),
  refundCustomerCredit: (_: unknown, a: { input: api.RefundInput }, ctx: Ctx) => api.refundCustomerCredit(ctx.db, a.input, policyOf(ctx)),
  upsertContractRef: (_: unknown, a: { input: api.ContractRefInput }, ctx: Ctx) => api.upsertContractRef(ctx.db, a.input),
};
