import { appError } from './errors.ts';

/**
 * Money is an integer count of the currency's minor units (cents), carried as a JS number only while
 * it is a safe integer; arithmetic that could leave that range uses BigInt. Decimal strings are the
 * wire format ("1234.50"), never floats.
 */
export const CURRENCY_EXPONENTS: Record<string, number> = { USD: 2, EUR: 2, GBP: 2, CHF: 2, CAD: 2, AUD: 2, JPY: 0 };

/** True for a currency this hub knows; Object.prototype names such as "constructor" are not currencies. */
export function isKnownCurrency(currency: string): boolean {
  return Object.hasOwn(CURRENCY_EXPONENTS, currency);
}

export function exponentOf(currency: string): number {
  const e = isKnownCurrency(currency) ? CURRENCY_EXPONENTS[currency] : undefined;
  if (e === undefined) throw appError('INVALID_MONEY', `Unknown currency ${currency}`, { currency });
  return e;
}

const DECIMAL = /^(-)?(\d{1,15})(?:\.(\d+))?$/;

/** "1234.5" in USD -> 123450. Rejects more decimals than the currency has, rather than rounding. */
export function parseMoney(amount: string, currency: string, field = 'amount'): number {
  const exp = exponentOf(currency);
  const m = DECIMAL.exec(String(amount).trim());
  if (!m) throw appError('INVALID_MONEY', `${field}: "${amount}" is not a decimal amount`, { field });
  const [, sign, whole, frac = ''] = m;
  if (frac.length > exp) throw appError('INVALID_MONEY', `${field}: ${currency} has ${exp} decimals, got "${amount}"`, { field });
  const minor = Number(whole) * 10 ** exp + Number(frac.padEnd(exp, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw appError('INVALID_MONEY', `${field}: amount out of range`, { field });
  return sign ? -minor : minor;
}

/** 123450 in USD -> "1234.50". */
export function formatMoney(minor: number | bigint, currency: string): string {
  const exp = exponentOf(currency);
  const v = BigInt(minor);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  if (exp === 0) return `${neg ? '-' : ''}${abs}`;
  const s = abs.toString().padStart(exp + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -exp)}.${s.slice(-exp)}`;
}

/** Integer division rounding half away from zero, exact for any size. */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const neg = numerator < 0n;
  const n = neg ? -numerator : numerator;
  const q = (n * 2n + denominator) / (denominator * 2n);
  return neg ? -q : q;
}

export function toSafeNumber(v: bigint): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw appError('INVALID_MONEY', 'amount out of range');
  return n;
}

/** Hourly rate (minor units per hour) times minutes, rounded half up to the minor unit. */
export function amountForMinutes(rateMinorPerHour: number, minutes: number): number {
  return toSafeNumber(divRoundHalfUp(BigInt(rateMinorPerHour) * BigInt(minutes), 60n));
}

/** Basis points (1/100 of a percent) applied to an amount, rounded half up: tax of 2000 bp = 20%. */
export function applyBasisPoints(minor: number, basisPoints: number): number {
  return toSafeNumber(divRoundHalfUp(BigInt(minor) * BigInt(basisPoints), 10000n));
}

/**
 * Converts between currencies with a decimal rate string ("1.08350000" = units of `to` per unit of
 * `from`), exact in BigInt and rounded half up once at the end.
 */
export function convertMoney(minor: number, from: string, to: string, rate: string): number {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(rate);
  if (!m) throw appError('INVALID_MONEY', `FX rate "${rate}" is not a positive decimal`);
  const frac = m[2] ?? '';
  const rateScaled = BigInt(m[1] + frac);
  const rateScale = 10n ** BigInt(frac.length);
  const expShift = exponentOf(to) - exponentOf(from);
  let num = BigInt(minor) * rateScaled;
  let den = rateScale;
  if (expShift > 0) num *= 10n ** BigInt(expShift);
  if (expShift < 0) den *= 10n ** BigInt(-expShift);
  return toSafeNumber(divRoundHalfUp(num, den));
}

/** Money as the graph shows it. */
export type MoneyValue = { amount: string; currency: string; minorUnits: string };

export function money(minor: number | bigint | string, currency: string): MoneyValue {
  const v = BigInt(minor);
  return { amount: formatMoney(v, currency), currency, minorUnits: v.toString() };
}
