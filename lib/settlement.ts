/**
 * How an invoice's money settles, as one pure function both billing (its invoice) and the erp (its
 * receivable) apply to the same facts. Each system keeps a copy of the balance; neither decides by
 * comparing with its own copy alone. They agree because the result depends only on the facts, and
 * not on the order the facts arrived in (docs/money.md, "One balance, two copies"):
 *
 * - `total`: what the invoice was issued for (subtotal + tax);
 * - `credited`: the credit memos issued against it (billing's documents);
 * - `received`: the cash the erp received for it (payments);
 * - `writeOffs`: what the erp wrote off as bad debt.
 *
 * Credits come first (they change what the invoice is worth), cash next, write-offs cover what is
 * left. Cash beyond the remaining value is not lost and not refused: it is `unapplied`, held as the
 * customer's credit in the erp. A credit on a paid invoice therefore pushes cash out to customer
 * credit (which a refund pays back), and cash arriving on a written-off invoice recovers the
 * write-off before anything else.
 */

export type SettlementFacts = { total: number; credited: number; received: number; writeOffs: number };

export type SettlementStatus = 'OPEN' | 'PARTIALLY_PAID' | 'PAID' | 'CREDITED' | 'WRITTEN_OFF';

export type Settlement = {
  /** Cash applied to the invoice. */
  paid: number;
  /** Bad debt written off, at most what cash and credits left open. */
  writtenOff: number;
  /** Still owed. */
  open: number;
  /** Cash received for the invoice that the invoice cannot take: the customer's credit. */
  unapplied: number;
  status: SettlementStatus;
};

export function settle(f: SettlementFacts): Settlement {
  for (const [k, v] of Object.entries(f)) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`settlement fact ${k} must be a non-negative integer, got ${v}`);
  }
  if (f.credited > f.total) throw new RangeError(`credited ${f.credited} exceeds the total ${f.total}`);
  const value = f.total - f.credited;
  const paid = Math.min(f.received, value);
  const writtenOff = Math.min(f.writeOffs, value - paid);
  const open = value - paid - writtenOff;
  return { paid, writtenOff, open, unapplied: f.received - paid, status: statusOf(open, paid, writtenOff) };
}

/**
 * One status rule for both systems (they disagreed: a partial payment plus a credit for the rest
 * was PAID in billing and CREDITED in the erp). While anything is open: PARTIALLY_PAID once cash was
 * applied, else OPEN. Settled: WRITTEN_OFF when bad debt closed it, PAID when cash took part, else
 * CREDITED (credits alone).
 */
function statusOf(open: number, paid: number, writtenOff: number): SettlementStatus {
  if (open > 0) return paid > 0 ? 'PARTIALLY_PAID' : 'OPEN';
  if (writtenOff > 0) return 'WRITTEN_OFF';
  return paid > 0 ? 'PAID' : 'CREDITED';
}
