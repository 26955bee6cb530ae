import { today } from '../../../lib/clock.ts';
import { appError, notFound } from '../../../lib/errors.ts';
import { hoursToMinutes } from '../../../lib/hours.ts';
import { newId } from '../../../lib/ids.ts';
import { parseMoney } from '../../../lib/money.ts';
import { requireDate, requireText } from '../../../lib/validate.ts';
import * as api from '../api/index.ts';
import type { BillingContext } from '../context.ts';
import { findRulesByProjectIds } from '../data/accounts.ts';
import { findInvoicesByIds } from '../data/invoices.ts';
import type * as gql from './types.generated.ts';

/** Billed hours may be zero and, after rounding to odd increments, not quarter hours; they must be whole minutes. */
function billedMinutes(hours: number, field: string): number {
  const minutes = Math.round(hours * 60);
  if (!Number.isFinite(hours) || hours < 0 || Math.abs(hours * 60 - minutes) > 1e-6) {
    throw appError('INVALID_HOURS', `${field} must be a non-negative number of whole minutes, got ${hours}`, { field });
  }
  return minutes;
}

// Read past the request's loaders on purpose: a cached pre-write row would then answer the
// mutation's own selection (e.g. the invoice's new balance) with stale values.
async function invoiceCurrency(ctx: BillingContext, id: string): Promise<string> {
  const [invoice] = await findInvoicesByIds(ctx.db, [id]);
  if (!invoice) throw notFound('Invoice', id);
  return invoice.currency;
}

/** Thin wrappers: GraphQL's decimal strings and hours become the system API's minor units and minutes. */
export const MutationResolvers: gql.MutationResolvers = {
  upsertBillingAccount: (_, args, ctx) => api.upsertBillingAccount(ctx.db, args.input),
  upsertBillingRule: (_, { input }, ctx) => {
    const { cap, fixedFee, ...rest } = input;
    return api.upsertBillingRule(ctx.db, {
      ...rest,
      capMinor: cap == null ? null : parseMoney(cap, input.currency, 'cap'),
      fixedFeeMinor: fixedFee == null ? null : parseMoney(fixedFee, input.currency, 'fixedFee'),
    });
  },
  addMilestone: async (_, { input }, ctx) => {
    const [rule] = await findRulesByProjectIds(ctx.db, [input.projectId]);
    if (!rule)
      throw appError('NOT_FOUND', `Project ${input.projectId} has no billing rule`, {
        type: 'BillingRule',
        id: input.projectId,
        field: 'projectId',
      });
    return api.addMilestone(ctx.db, { ...input, amountMinor: parseMoney(input.amount, rule.currency, 'amount') });
  },
  createBillableItems: (_, args, ctx) =>
    api.createBillableItems(
      ctx.db,
      args.items.map(({ sourceHours, hours, rate, ...item }, i) => ({
        ...item,
        sourceMinutes: hoursToMinutes(sourceHours, `items[${i}].sourceHours`),
        minutes: hours == null ? null : billedMinutes(hours, `items[${i}].hours`),
        rateMinor: parseMoney(rate, item.currency, `items[${i}].rate`),
      })),
    ),
  createDraftInvoice: (_, args, ctx) =>
    api.createDraftInvoice(ctx.db, { projectId: args.projectId, through: args.through, taxRateBp: args.taxRateBp }, ctx.mapping.taxCodes),
  createMilestoneInvoice: (_, args, ctx) =>
    api.createMilestoneInvoice(
      ctx.db,
      { milestoneId: args.milestoneId, taxRateBp: args.taxRateBp, asOf: args.asOf ?? today(ctx.clock) },
      ctx.mapping.taxCodes,
    ),
  issueInvoice: (_, args, ctx) =>
    api.issueInvoice(ctx.db, args.id, args.issueDate, ctx.clock.now(), (trx, inv) =>
      ctx.triggers.fire(trx, { type: 'INVOICE_ISSUED', invoiceId: inv.id, customerId: inv.customer_id, projectId: inv.project_id }),
    ),
  voidInvoice: (_, args, ctx) => api.voidInvoice(ctx.db, args.id),
  issueCreditMemo: async (_, { input }, ctx) => {
    const currency = await invoiceCurrency(ctx, input.invoiceId);
    return api.issueCreditMemo(
      ctx.db,
      {
        ...input,
        lines: input.lines.map((l, i) => ({
          invoiceLineId: l.invoiceLineId,
          amountMinor: parseMoney(l.amount, currency, `lines[${i}].amount`),
        })),
      },
      (trx, r) =>
        ctx.triggers.fire(trx, {
          type: 'CREDIT_MEMO_ISSUED',
          creditMemoId: r.creditMemo.id,
          invoiceId: r.creditMemo.invoice_id,
          customerId: r.creditMemo.customer_id,
          timeEntryIds: r.affectedTimeEntryIds,
          timeDisposition: r.creditMemo.time_disposition,
        }),
    );
  },
  writeOffUnbilledWork: (_, args, ctx) => {
    const reason = requireText(args.reason, 'reason');
    const date = requireDate(args.date ?? today(ctx.clock), 'date');
    return api.writeOffUnbilledItems(ctx.db, args.itemIds, async (trx, items) => {
      if (items.length)
        await ctx.triggers.fire(trx, { type: 'WIP_WRITTEN_OFF', writeOffId: newId('wwo'), itemIds: items.map((i) => i.id), date, reason });
    });
  },
  applyPayment: async (_, { input }, ctx) => {
    const currency = await invoiceCurrency(ctx, input.invoiceId);
    return api.applyPayment(ctx.db, {
      invoiceId: input.invoiceId,
      erpPaymentId: input.erpPaymentId,
      amountMinor: parseMoney(input.amount, currency, 'amount'),
      receivedOn: input.receivedOn,
    });
  },
};
