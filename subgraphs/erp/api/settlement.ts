import type { Transaction } from 'kysely';
import { appError, notFound } from '../../../lib/errors.ts';
import type { LedgerPolicy } from '../../../lib/ledger-policy.ts';
import { convertMoney, formatMoney } from '../../../lib/money.ts';
import { type Settlement, type SettlementFacts, settle } from '../../../lib/settlement.ts';
import { arBalanceOfInvoice } from '../data/ar-ledger.ts';
import type { ErpDatabase, JournalEntry, Receivable } from '../data/tables.ts';
import { addCustomerCredit } from './customer-credit.ts';
import type { FunctionalLine } from './journal-lines.ts';
import { postComputedEntryIn, rateInForce } from './journals.ts';

type Trx = Transaction<ErpDatabase>;

/**
 * The one lock on an invoice's balance. Every operation that moves it (a payment, a credit memo, a
 * write-off) takes this row lock first, in this one place, so they apply one after another and each
 * sees what the one before it did. The receivable is the authoritative copy; billing's invoice is
 * brought to the same result by the same settlement rule (lib/settlement.ts, docs/money.md).
 */
export async function lockReceivable(trx: Trx, invoiceId: string): Promise<Receivable> {
  const r = await trx.selectFrom('erp.receivables').selectAll().where('invoice_id', '=', invoiceId).forUpdate().executeTakeFirst();
  if (!r)
    throw appError('NOT_FOUND', `Invoice ${invoiceId} has no receivable in the erp`, {
      type: 'Receivable',
      id: invoiceId,
      field: 'invoiceId',
    });
  return r;
}

/** What happened to the invoice, in its currency. */
export type SettlementEvent =
  | { kind: 'PAYMENT'; amount: number; cashAccount: string; paymentId: string }
  | {
      kind: 'CREDIT_MEMO';
      creditMemoId: string;
      /** Revenue reversed per invoice line; the tax reversed with them. */
      lines: { accountCode: string; amount: number; serviceLine: string | null; invoiceLineId: string }[];
      tax: number;
    }
  | { kind: 'WRITE_OFF'; amount: number; writeOffId: string };

export type SettlementPosting = {
  legalEntityId: string;
  date: string;
  sourceType: string;
  sourceId: string;
  memo: string;
};

export type SettlementResult = { receivable: Receivable; entry: JournalEntry; before: Settlement; after: Settlement };

const factsOf = (r: Receivable): SettlementFacts => ({
  total: r.amount_minor,
  credited: r.credited_minor,
  received: r.received_minor,
  writeOffs: r.write_offs_minor,
});

function nextFacts(f: SettlementFacts, e: SettlementEvent): SettlementFacts {
  switch (e.kind) {
    case 'PAYMENT':
      return { ...f, received: f.received + e.amount };
    case 'CREDIT_MEMO':
      return { ...f, credited: f.credited + e.lines.reduce((s, l) => s + l.amount, 0) + e.tax };
    case 'WRITE_OFF':
      return { ...f, writeOffs: f.writeOffs + e.amount };
  }
}

/**
 * Applies one event to a locked receivable: settles the facts before and after (lib/settlement.ts),
 * posts the journal of the difference and stores the new balance, in the caller's transaction.
 *
 * The journal, in the invoice currency: the event's own side (cash in, revenue and tax reversed, bad
 * debt), AR by what the open balance fell, customer credit by what became unapplied. In the
 * functional currency, AR, revenue, tax and bad debt convert at the invoice's own rate (so a credit
 * memo reverses at the rate the invoice was posted at), AR is relieved of exactly what it still
 * carries when the invoice settles, cash and new customer credit convert at the event's rate. What
 * is left over is the realized FX gain or loss when cash moved at another rate than the invoice's,
 * else conversion rounding: one line on the mapped account, never on AR.
 */
export async function applySettlementEvent(
  trx: Trx,
  policy: LedgerPolicy,
  r: Receivable,
  event: SettlementEvent,
  posting: SettlementPosting,
): Promise<SettlementResult> {
  const accounts = policy.accounts(r.legal_entity_id);
  const before = settle(factsOf(r));
  const facts = nextFacts(factsOf(r), event);
  if (facts.credited > facts.total)
    throw appError('CREDIT_EXCEEDS_INVOICE', `Credits would exceed the total of invoice ${r.invoice_number}`, { field: 'lines' });
  const after = settle(facts);
  if (event.kind === 'PAYMENT' && after.unapplied > before.unapplied && policy.overpayment === 'REFUSE') {
    throw appError(
      'OVERPAYMENT',
      `A payment of ${formatMoney(event.amount, r.currency)} ${r.currency} exceeds the open balance ${formatMoney(before.open, r.currency)} of invoice ${r.invoice_number}`,
      { field: 'amount', openBalance: formatMoney(before.open, r.currency) },
    );
  }
  const le = await trx.selectFrom('erp.legal_entities').selectAll().where('id', '=', r.legal_entity_id).executeTakeFirst();
  if (!le) throw notFound('LegalEntity', r.legal_entity_id);
  const foreign = r.currency !== le.functional_currency;
  const invoiceRate = foreign ? await rateOfInvoice(trx, r) : '1';
  const eventRate =
    foreign && event.kind === 'PAYMENT' ? await rateInForce(trx, r.currency, le.functional_currency, posting.date) : invoiceRate;
  const conv = (minor: number, rate: string) => (foreign ? convertMoney(minor, r.currency, le.functional_currency, rate) : minor);
  const dims = { customerId: r.customer_id, projectId: r.project_id };
  const lines: FunctionalLine[] = [];
  const debit = (accountCode: string, amount: number, functional: number, src: [string, string], serviceLine: string | null = null) =>
    lines.push({
      accountCode,
      debit: amount,
      credit: 0,
      functionalDebit: functional,
      functionalCredit: 0,
      ...dims,
      serviceLine,
      sourceLineType: src[0],
      sourceLineId: src[1],
    });
  const credit = (accountCode: string, amount: number, functional: number, src: [string, string], serviceLine: string | null = null) =>
    lines.push({
      accountCode,
      debit: 0,
      credit: amount,
      functionalDebit: 0,
      functionalCredit: functional,
      ...dims,
      serviceLine,
      sourceLineType: src[0],
      sourceLineId: src[1],
    });

  if (event.kind === 'PAYMENT') debit(event.cashAccount, event.amount, conv(event.amount, eventRate), ['PAYMENT', event.paymentId]);
  if (event.kind === 'CREDIT_MEMO') {
    for (const l of event.lines)
      debit(l.accountCode, l.amount, conv(l.amount, invoiceRate), ['INVOICE_LINE', l.invoiceLineId], l.serviceLine);
    if (event.tax > 0) debit(accounts.taxPayable, event.tax, conv(event.tax, invoiceRate), ['CREDIT_MEMO_TAX', event.creditMemoId]);
  }
  const writtenOff = after.writtenOff - before.writtenOff;
  const writeOffSource: [string, string] = event.kind === 'WRITE_OFF' ? ['WRITE_OFF', event.writeOffId] : ['INVOICE', r.invoice_id];
  if (writtenOff > 0) debit(accounts.badDebt, writtenOff, conv(writtenOff, invoiceRate), writeOffSource);
  // Cash arriving on a written-off invoice recovers the write-off first (bad debt recovered).
  if (writtenOff < 0) credit(accounts.badDebt, -writtenOff, conv(-writtenOff, invoiceRate), writeOffSource);
  const arRelief = before.open - after.open;
  if (arRelief > 0) {
    const carried = await arBalanceOfInvoice(trx, r.legal_entity_id, accounts.receivable, r.invoice_id);
    // Settled: AR gives up exactly what it carries for the invoice, whatever the conversions left on it.
    const functional = after.open === 0 && carried.entry === arRelief ? carried.functional : conv(arRelief, invoiceRate);
    credit(accounts.receivable, arRelief, functional, ['INVOICE', r.invoice_id]);
  }
  const unapplied = after.unapplied - before.unapplied;
  let creditFunctional = 0;
  if (unapplied > 0) {
    creditFunctional = conv(unapplied, event.kind === 'PAYMENT' ? eventRate : invoiceRate);
    credit(accounts.customerCredit, unapplied, creditFunctional, ['CUSTOMER_CREDIT', r.customer_id]);
  }
  const residual = lines.reduce((s, l) => s + l.functionalDebit - l.functionalCredit, 0);
  if (residual !== 0) {
    const account = eventRate !== invoiceRate ? accounts.realizedFx : accounts.rounding;
    const src: [string, string] = [posting.sourceType, posting.sourceId];
    if (residual > 0) credit(account, 0, residual, src);
    else debit(account, 0, -residual, src);
  }
  const entry = await postComputedEntryIn(
    trx,
    { ...posting, currency: r.currency, fxRate: eventRate },
    lines.filter((l) => l.debit + l.credit + l.functionalDebit + l.functionalCredit > 0),
    policy,
  );
  const receivable = await trx
    .updateTable('erp.receivables')
    .set({
      received_minor: facts.received,
      credited_minor: facts.credited,
      write_offs_minor: facts.writeOffs,
      paid_minor: after.paid,
      written_off_minor: after.writtenOff,
      open_minor: after.open,
      status: after.status,
    })
    .where('id', '=', r.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (unapplied > 0) {
    await addCustomerCredit(trx, {
      customerId: r.customer_id,
      legalEntityId: r.legal_entity_id,
      currency: r.currency,
      amount: unapplied,
      functional: creditFunctional,
      sourceType: posting.sourceType,
      sourceId: posting.sourceId,
      invoiceId: r.invoice_id,
      journalEntryId: entry.id,
    });
  }
  return { receivable, entry, before, after };
}

/** The rate the invoice was posted at: its journal's; for a receivable without one, the rate on its issue date. */
async function rateOfInvoice(trx: Trx, r: Receivable): Promise<string> {
  if (r.journal_entry_id) {
    const e = await trx.selectFrom('erp.journal_entries').select('fx_rate').where('id', '=', r.journal_entry_id).executeTakeFirst();
    if (e) return e.fx_rate;
  }
  const le = await trx
    .selectFrom('erp.legal_entities')
    .select('functional_currency')
    .where('id', '=', r.legal_entity_id)
    .executeTakeFirstOrThrow();
  return rateInForce(trx, r.currency, le.functional_currency, r.issue_date);
}
