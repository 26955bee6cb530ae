/**
 * A fixed-fee contract's billing schedule (mapping money.fixedFeeSchedule): the fee in equal
 * instalments, one every `intervalMonths` after the contract's start, in arrears; the last one takes
 * what the division leaves, so the instalments add up to the fee exactly. The billing run invoices each
 * instalment once it is due (as it does milestones), on a FIXED_FEE line.
 */
export type Instalment = { seq: number; amountMinor: number; dueDate: string };

export function fixedFeeSchedule(feeMinor: number, startDate: string, instalments: number, intervalMonths: number): Instalment[] {
  if (!Number.isSafeInteger(feeMinor) || feeMinor <= 0) return [];
  const n = Math.min(instalments, feeMinor);
  const each = Math.floor(feeMinor / n);
  return Array.from({ length: n }, (_, i) => ({
    seq: i + 1,
    amountMinor: i === n - 1 ? feeMinor - each * (n - 1) : each,
    dueDate: addMonthsClamped(startDate, (i + 1) * intervalMonths),
  }));
}

/** `date` plus `months` calendar months; the 31st becomes the last day of a shorter month. */
function addMonthsClamped(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}
