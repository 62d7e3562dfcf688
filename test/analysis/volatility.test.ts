import { BREAKOUT } from '../support/defaults.ts';
import type { Bar } from '../../src/core/types.ts';
import { describe, expect, it } from 'vitest';
import { mean, populationStdDev, simpleReturns } from '../../src/analysis/indicators.ts';
import { detectBreakout, readBreakout, breakoutBands, type BreakoutReading } from '../../src/analysis/volatility.ts';

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2024, 0, 2);

/** Daily bars whose closes follow `returns` from a first close of 100; bar i is dated START + i days. */
function barsFromReturns(returns: number[], firstClose = 100): Bar[] {
  const closes = [firstClose];
  for (const r of returns) closes.push(closes[closes.length - 1]! * (1 + r));
  return closes.map((close, i) => ({
    time: new Date(START_MS + i * DAY_MS),
    open: close,
    high: close * 1.01,
    low: close * 0.99,
    close,
    volume: 1_000_000,
  }));
}

/** A calm, deterministic history: returns cycling through ±0.4%..1.2%. */
const CALM = [0.01, -0.008, 0.004, -0.012, 0.006];
const calmReturns = (n: number): number[] => Array.from({ length: n }, (_, i) => CALM[i % CALM.length]!);

function measured(reading: BreakoutReading) {
  if (reading.status === 'insufficient-data') throw new Error('expected a reading with numbers');
  return reading;
}

describe('readBreakout', () => {
  it('should default to k = 2 over the previous 20 returns', () => {
    expect(BREAKOUT).toEqual({ k: 2, lookback: 20 });
  });

  it('should report insufficient data below N+2 bars', () => {
    const bars = barsFromReturns(calmReturns(20)); // 21 bars
    expect(readBreakout('NFLX', bars, BREAKOUT)).toEqual({ status: 'insufficient-data', barsGiven: 21, barsNeeded: 22 });
    expect(detectBreakout('NFLX', bars, BREAKOUT)).toBeNull();
    expect(readBreakout('NFLX', [], { k: 2, lookback: 5 })).toEqual({ status: 'insufficient-data', barsGiven: 0, barsNeeded: 7 });
  });

  it('should compare the last return with the mean and population SD of the previous N returns', () => {
    const bars = barsFromReturns([...calmReturns(25), 0.003]);
    const reading = measured(readBreakout('NFLX', bars, BREAKOUT));
    const returns = simpleReturns(bars.map((b) => b.close));
    const previous = returns.slice(-21, -1);
    const last = returns[returns.length - 1]!;
    expect(reading.status).toBe('none');
    expect(reading.sigma).toBe(populationStdDev(previous));
    expect(reading.meanReturn).toBe(mean(previous));
    expect(reading.dailyReturn).toBe(last);
    expect(reading.zScore).toBeCloseTo((last - mean(previous)) / populationStdDev(previous), 12);
    expect(reading.price).toBe(bars[bars.length - 1]!.close);
    expect(reading.asOf).toEqual(bars[bars.length - 1]!.time);
    expect(reading.signal).toBeNull();
  });

  it('should signal LONG on an up-move of at least k sigma', () => {
    const bars = barsFromReturns([...calmReturns(20), 0.05]);
    const reading = measured(readBreakout('NFLX', bars, BREAKOUT));
    expect(reading.status).toBe('breakout');
    expect(reading.zScore).toBeGreaterThan(2);
    expect(reading.signal).toEqual({
      symbol: 'NFLX',
      side: 'LONG',
      zScore: reading.zScore,
      sigma: reading.sigma,
      dailyReturn: reading.dailyReturn,
      price: reading.price,
      asOf: reading.asOf,
      strategy: 'volatility-breakout',
    });
    expect(detectBreakout('NFLX', bars, BREAKOUT)).toEqual(reading.signal);
  });

  it('should signal SHORT on a down-move of at least k sigma', () => {
    const signal = detectBreakout('AAPL', barsFromReturns([...calmReturns(20), -0.05]), BREAKOUT);
    expect(signal?.side).toBe('SHORT');
    expect(signal?.zScore).toBeLessThan(-2);
  });

  it('should count |z| exactly k as a breakout and k - epsilon short of it as none', () => {
    for (const move of [0.03, -0.03]) {
      const bars = barsFromReturns([...calmReturns(20), move]);
      const z = measured(readBreakout('X', bars, BREAKOUT)).zScore;
      const atK = readBreakout('X', bars, { k: Math.abs(z), lookback: 20 });
      const justAbove = readBreakout('X', bars, { k: Math.abs(z) * (1 + 1e-12), lookback: 20 });
      expect(atK.status).toBe('breakout');
      expect(justAbove.status).toBe('none');
    }
  });

  it('should use the lookback from the config', () => {
    const bars = barsFromReturns([...calmReturns(5), 0.02]); // 7 bars = N+2 for N=5
    const reading = measured(readBreakout('X', bars, { k: 2, lookback: 5 }));
    expect(reading.sigma).toBeCloseTo(populationStdDev(calmReturns(5)), 14);
  });
});

describe('readBreakout look-ahead guard', () => {
  it('should keep sigma and the mean when only the breakout bar changes', () => {
    const bars = barsFromReturns([...calmReturns(30), 0.01]);
    const before = measured(readBreakout('X', bars, BREAKOUT));
    const changed = bars.map((b, i) => (i === bars.length - 1 ? { ...b, close: b.close * 1.2, high: b.close * 1.25 } : b));
    const after = measured(readBreakout('X', changed, BREAKOUT));
    expect(after.sigma).toBe(before.sigma);
    expect(after.meanReturn).toBe(before.meanReturn);
    expect(after.zScore).not.toBe(before.zScore);
    expect(after.status).toBe('breakout');
  });

  it('should build the band at every bar t from bars before t only, whatever comes from t on', () => {
    const bars = barsFromReturns(calmReturns(40).map((r, i) => r * (1 + (i % 7) / 10)));
    for (let t = 21; t < bars.length; t++) {
      const original = measured(readBreakout('X', bars.slice(0, t + 1), BREAKOUT));
      // Rewrite bar t and every later bar, then read bar t again from the rewritten series.
      const rewritten = bars.map((b, i) => (i >= t ? { ...b, close: b.close * (1.5 + ((i * 37) % 11) / 10) } : b));
      const again = measured(readBreakout('X', rewritten.slice(0, t + 1), BREAKOUT));
      expect(again.sigma, `bar ${t}`).toBe(original.sigma);
      expect(again.meanReturn, `bar ${t}`).toBe(original.meanReturn);
    }
  });

  it('should let the breakout return into the band only from the next bar on', () => {
    const bars = barsFromReturns([...calmReturns(21), 0.08, 0.001]);
    const atBreakout = measured(readBreakout('X', bars.slice(0, -1), BREAKOUT));
    const nextDay = measured(readBreakout('X', bars, BREAKOUT));
    const returns = simpleReturns(bars.map((b) => b.close));
    expect(nextDay.sigma).toBe(populationStdDev(returns.slice(-21, -1))); // includes the 8% day
    expect(nextDay.sigma).toBeGreaterThan(atBreakout.sigma * 2);
  });

  it('should reach a z beyond sqrt(N), impossible if the band included the breakout return', () => {
    // With population SD over n values, no member is more than sqrt(n-1) SDs from their mean.
    const bars = barsFromReturns([...Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 0.005 : -0.005)), 0.1]);
    const reading = measured(readBreakout('X', bars, BREAKOUT));
    expect(reading.zScore).toBeGreaterThan(Math.sqrt(20) * 4);
  });

  it('should ignore bars older than the N+2 it needs', () => {
    const bars = barsFromReturns([...calmReturns(20), 0.05]);
    const older = barsFromReturns([0.3, -0.2, 0.25], 50).map((b, i) => ({ ...b, time: new Date(START_MS - (4 - i) * DAY_MS) }));
    const withHistory = [...older, ...bars];
    expect(readBreakout('X', withHistory, BREAKOUT)).toEqual(readBreakout('X', bars, BREAKOUT));
  });
});

describe('readBreakout data quality', () => {
  it('should report no breakout with z = 0 on a flat history, not an infinite z', () => {
    const bars = barsFromReturns([...Array.from({ length: 20 }, () => 0), 0.05]);
    const reading = measured(readBreakout('HALT', bars, BREAKOUT));
    expect(reading).toMatchObject({ status: 'none', zScore: 0, sigma: 0, signal: null });
    expect(reading.dailyReturn).toBeCloseTo(0.05, 12);
  });

  it.each([NaN, 0, -5, Infinity])('should throw a RangeError on a close of %s in the window used', (bad) => {
    const bars = barsFromReturns([...calmReturns(20), 0.01]);
    bars[10] = { ...bars[10]!, close: bad };
    expect(() => readBreakout('NFLX', bars, BREAKOUT)).toThrow(RangeError);
    expect(() => readBreakout('NFLX', bars, BREAKOUT)).toThrow(`NFLX: bad close ${bad} on 2024-01-12`);
  });

  it('should not throw on a bad close older than the window', () => {
    const bars = barsFromReturns([...calmReturns(25), 0.01]);
    bars[0] = { ...bars[0]!, close: NaN };
    expect(readBreakout('X', bars, BREAKOUT).status).toBe('none');
  });

  it('should reject a config that cannot measure anything', () => {
    const bars = barsFromReturns(calmReturns(30));
    expect(() => readBreakout('X', bars, { k: 0, lookback: 20 })).toThrow(RangeError);
    expect(() => readBreakout('X', bars, { k: NaN, lookback: 20 })).toThrow(RangeError);
    expect(() => readBreakout('X', bars, { k: 2, lookback: 1 })).toThrow(RangeError);
    expect(() => readBreakout('X', bars, { k: 2, lookback: 2.5 })).toThrow(RangeError);
  });
});

describe('breakoutBands', () => {
  it('should draw, for each bar, the closes a ±k sigma move from the previous close would reach, as readBreakout judges them', () => {
    const closes = Array.from({ length: 30 }, (_, i) => 100 + ((i * 37) % 11) - 5);
    const bars = closes.map((close, i) => ({ time: new Date(Date.UTC(2026, 0, 1 + i)), open: close, high: close, low: close, close, volume: 1 }));
    const bands = breakoutBands(bars, BREAKOUT);
    expect(bands.slice(0, 21).every((b) => b === undefined)).toBe(true);
    for (let i = 21; i < bars.length; i++) {
      const reading = readBreakout('X', bars.slice(0, i + 1), BREAKOUT);
      if (reading.status === 'insufficient-data') throw new Error('expected a reading');
      const band = bands[i]!;
      // A close exactly on the upper band is a z of +k, on the lower band -k.
      const prev = bars[i - 1]!.close;
      expect((band.upper / prev - 1 - reading.meanReturn) / reading.sigma).toBeCloseTo(BREAKOUT.k, 9);
      expect((band.lower / prev - 1 - reading.meanReturn) / reading.sigma).toBeCloseTo(-BREAKOUT.k, 9);
    }
  });
});
