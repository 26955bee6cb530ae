import { describe, expect, it } from 'vitest';
import { amountForMinutes, applyBasisPoints, convertMoney, divRoundHalfUp, formatMoney, parseMoney } from '../../lib/money.ts';

describe('money', () => {
  it('parses decimal strings to exact minor units and formats them back', () => {
    expect(parseMoney('1234.5', 'USD')).toBe(123450);
    expect(parseMoney('0.01', 'EUR')).toBe(1);
    expect(parseMoney('-3', 'USD')).toBe(-300);
    expect(parseMoney('500', 'JPY')).toBe(500);
    expect(formatMoney(123450, 'USD')).toBe('1234.50');
    expect(formatMoney(-5, 'USD')).toBe('-0.05');
    expect(formatMoney(500, 'JPY')).toBe('500');
  });

  it('refuses extra decimals, garbage and unknown currencies instead of rounding', () => {
    expect(() => parseMoney('1.001', 'USD')).toThrow(/2 decimals/);
    expect(() => parseMoney('1e3', 'USD')).toThrow(/not a decimal/);
    expect(() => parseMoney('10', 'XXX')).toThrow(/Unknown currency/);
    expect(() => parseMoney('10', 'constructor')).toThrow(/Unknown currency/);
  });

  it('rounds half up (away from zero) exactly', () => {
    expect(divRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divRoundHalfUp(-5n, 2n)).toBe(-3n);
    expect(divRoundHalfUp(4n, 3n)).toBe(1n);
  });

  it('prices minutes at an hourly rate without float error', () => {
    // 0.1 + 0.2 style errors would show here: 7h45m at 123.45/h = 956.7375 -> 956.74
    expect(amountForMinutes(12345, 465)).toBe(95674);
    expect(applyBasisPoints(95674, 2000)).toBe(19135);
  });

  it('converts currencies with a decimal rate and adjusts for exponents', () => {
    expect(convertMoney(10000, 'EUR', 'USD', '1.08350000')).toBe(10835);
    expect(convertMoney(10000, 'USD', 'JPY', '150.5')).toBe(15050);
  });
});
