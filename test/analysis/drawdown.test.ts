import { describe, expect, it } from 'vitest';
import { drawdownRecoveryDays, drawdownRecoveryPeriods, maxDrawdown } from '../../src/analysis/drawdown.ts';
import { equityFromReturns } from '../../src/analysis/metrics.ts';
import { vectors } from './vectors.ts';

/** Consecutive calendar dates from 2025-01-01, as LEAN's test builds them (startDate.AddDays(i)). */
const consecutiveDates = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10));

describe('maxDrawdown', () => {
  it('should locate the empyrical mixed-returns drawdown: peak after +1% (day 8), trough after -10% (day 9)', () => {
    const pct = vectors.performance_metrics.empyrical_mixed_returns.returns_pct as (number | null)[];
    const equity = equityFromReturns(pct.map((p) => (p === null ? NaN : p / 100)));
    const dd = maxDrawdown(equity)!;
    expect(dd.drawdown).toBeCloseTo(vectors.performance_metrics.empyrical_mixed_returns.expected.max_drawdown, 12);
    expect([dd.peakIndex, dd.troughIndex]).toEqual([8, 9]);
  });

  it('should report the peak and trough dates when given dates', () => {
    const dates = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07'];
    expect(maxDrawdown([100, 120, 90, 110, 95], dates)).toEqual({
      drawdown: -0.25,
      peakIndex: 1,
      troughIndex: 2,
      peakDate: '2025-03-04',
      troughDate: '2025-03-05',
    });
  });

  it('should pick the deepest of several drawdowns, not the largest dollar fall', () => {
    // 100 -> 50 is -50%; 1000 -> 600 is a bigger fall in dollars but only -40%.
    const dd = maxDrawdown([100, 50, 1000, 600])!;
    expect(dd).toEqual({ drawdown: -0.5, peakIndex: 0, troughIndex: 1 });
  });

  it('should start the drawdown at the last index of a repeated peak', () => {
    expect(maxDrawdown([100, 100, 90])).toMatchObject({ peakIndex: 1, troughIndex: 2 });
  });

  it('should give 0 at index 0 for a curve that never falls, and null for no curve', () => {
    expect(maxDrawdown([1, 2, 3])).toEqual({ drawdown: 0, peakIndex: 0, troughIndex: 0 });
    expect(maxDrawdown([])).toBeNull();
  });

  it('should measure a wipe-out as -100%', () => {
    expect(maxDrawdown([100, 50, 0])!.drawdown).toBe(-1);
  });

  it.each([[[0, 1]], [[1, -1]], [[1, NaN]], [[1, Infinity]]])('should reject equity %j', (equity) => {
    expect(() => maxDrawdown(equity)).toThrow(RangeError);
  });

  it('should reject dates of the wrong length', () => {
    expect(() => maxDrawdown([1, 2], ['2025-01-01'])).toThrow(RangeError);
  });
});

describe('LEAN drawdown recovery (Tests/Common/Statistics/DrawdownRecoveryTests.cs)', () => {
  const cases = vectors.performance_metrics.lean_drawdown_recovery_days.cases as { equity: number[]; days: number }[];

  it('should hold all 13 LEAN cases', () => {
    expect(cases).toHaveLength(13);
  });

  it.each(cases)('should recover $equity in $days calendar days', ({ equity, days }) => {
    expect(drawdownRecoveryDays(equity, consecutiveDates(equity.length))).toBe(days);
  });

  it.each(cases)('should recover $equity in $days periods on a daily curve', ({ equity, days }) => {
    expect(drawdownRecoveryPeriods(equity)).toBe(days);
  });

  it('should count calendar days across a weekend, periods across trading days', () => {
    const equity = [100, 90, 100];
    const dates = ['2025-01-03', '2025-01-06', '2025-01-07']; // Friday, Monday, Tuesday
    expect(drawdownRecoveryDays(equity, dates)).toBe(4);
    expect(drawdownRecoveryPeriods(equity)).toBe(2);
  });

  it('should reject malformed dates', () => {
    expect(() => drawdownRecoveryDays([100, 90], ['2025-01-01', '1/2/2025'])).toThrow(RangeError);
  });
});
