import { describe, expect, it } from 'vitest';
import { applyCap, roundMinutes } from '../../subgraphs/billing/api/billable-items.ts';

describe('billing: roundMinutes', () => {
  it('UP rounds any remainder to the next increment and leaves exact multiples alone', () => {
    expect(roundMinutes(61, 15, 'UP')).toBe(75);
    expect(roundMinutes(60, 15, 'UP')).toBe(60);
    expect(roundMinutes(1, 15, 'UP')).toBe(15);
    expect(roundMinutes(0, 15, 'UP')).toBe(0);
  });

  it('DOWN drops the remainder', () => {
    expect(roundMinutes(74, 15, 'DOWN')).toBe(60);
    expect(roundMinutes(14, 15, 'DOWN')).toBe(0);
  });

  it('NEAREST goes to the closer increment, halves going up', () => {
    expect(roundMinutes(67, 15, 'NEAREST')).toBe(60);
    expect(roundMinutes(68, 15, 'NEAREST')).toBe(75);
    expect(roundMinutes(65, 10, 'NEAREST')).toBe(70);
    expect(roundMinutes(64, 10, 'NEAREST')).toBe(60);
  });

  it('an increment of 1 minute keeps the minutes; a 6-minute increment gives tenths of hours', () => {
    expect(roundMinutes(47, 1, 'UP')).toBe(47);
    expect(roundMinutes(47, 6, 'UP')).toBe(48);
  });

  it('refuses negative or fractional minutes and a non-positive increment', () => {
    expect(() => roundMinutes(-1, 15, 'UP')).toThrow(RangeError);
    expect(() => roundMinutes(1.5, 15, 'UP')).toThrow(RangeError);
    expect(() => roundMinutes(10, 0, 'UP')).toThrow(RangeError);
  });
});

describe('billing: applyCap', () => {
  it('leaves amounts alone under the cap', () => {
    expect(applyCap([100, 200], 0, 1000)).toEqual([100, 200]);
  });

  it('cuts the crossing amount so the total hits the cap exactly; later amounts become 0', () => {
    expect(applyCap([300, 300, 300], 200, 1000)).toEqual([300, 300, 200]);
    expect(applyCap([500, 500, 500], 0, 700)).toEqual([500, 200, 0]);
  });

  it('gives 0 to everything once the cap is used up (or already passed)', () => {
    expect(applyCap([100], 1000, 1000)).toEqual([0]);
    expect(applyCap([100], 1200, 1000)).toEqual([0]);
  });
});
