import type { Kysely } from 'kysely';
import { inTransaction } from '../../../lib/db.ts';
import { appError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import type { LedgerPolicy } from '../../../lib/ledger-policy.ts';
import { formatMoney } from '../../../lib/money.ts';
import { requireDate, requireMoney, requireText } from '../../../lib/validate.ts';
import type { ErpDatabase, WriteOff } from '../data/tables.ts';
import { applySettlementEvent, lockReceivable } from './settlement.ts';

export type WriteOffInput = { invoiceId: string; amount: string; date: string; reason: string };

/**
 * Writes off (part of) what an invoice still owes as bad debt: debit bad debt, credit AR, at the
 * invoice's rate, under the receivable's lock. The receivable is WRITTEN_OFF once nothing is open;
 * billing learns of it through the RECEIVABLE_WRITTEN_OFF sync, which `afterWrite` enqueues in the
 * same transaction. Cash that arrives later recovers the write-off first (settlement.ts).
 *
 * Errors: NOT_FOUND (receivable), WRITE_OFF_EXCEEDS_OPEN, INVALID_MONEY, BAD_USER_INPUT, and the
 * posting's (PERIOD_CLOSED, UNKNOWN_ACCOUNT).
 */
export function writeOffReceivable(
  db: Kysely<ErpDatabase>,
  input: WriteOffInput,
  policy: LedgerPolicy,
  afterWrite?: (trx: Kysely<ErpDatabase>, writeOff: WriteOff) => Promise<void>,
): Promise<WriteOff> {
  return inTransaction(db, async (trx) => {
    const reason = requireText(input.reason, 'reason');
    const date = requireDate(input.date, 'date');
    const r = await lockReceivable(trx, input.invoiceId);
    const amount = requireMoney(input.amount, r.currency, 'amount', { allowZero: false });
    if (amount > r.open_minor)
      throw appError(
        'WRITE_OFF_EXCEEDS_OPEN',
        `A write-off of ${input.amount} ${r.currency} exceeds the open balance ${formatMoney(r.open_minor, r.currency)} of invoice ${r.invoice_number}`,
        { field: 'amount', openBalance: formatMoney(r.open_minor, r.currency) },
      );
    const id = newId('wof');
    const { entry } = await applySettlementEvent(
      trx,
      policy,
      r,
      { kind: 'WRITE_OFF', amount, writeOffId: id },
      {
        legalEntityId: r.legal_entity_id,
        date,
        sourceType: 'WRITE_OFF',
        sourceId: id,
        memo: `Bad debt on invoice ${r.invoice_number}: ${reason}`,
      },
    );
    const writeOff = await trx
      .insertInto('erp.write_offs')
      .values({
        id,
        receivable_id: r.id,
        invoice_id: r.invoice_id,
        customer_id: r.customer_id,
        legal_entity_id: r.legal_entity_id,
        amount_minor: amount,
        written_off_on: date,
        reason,
        journal_entry_id: entry.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (afterWrite) await afterWrite(trx, writeOff);
    return writeOff;
  });
}
