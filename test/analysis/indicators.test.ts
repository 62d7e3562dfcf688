import { describe, expect, it } from 'vitest';
import {
  atr,
  lastSma,
  logReturns,
  mean,
  populationStdDev,
  sampleStdDev,
  simpleReturns,
  sma,
  zScore,
} from '../../src/analysis/indicators.ts';
import { vectors } from './vectors.ts';

const ind = vectors.indicators;

/** Apply `stat` to every full window of `values`, like a rolling indicator. */
function rolling(values: number[], period: number, stat: (xs: number[]) => number): number[] {
  const out: number[] = [];
  for (let end = period; end <= values.length; end++) out.push(stat(values.slice(end - period, end)));
  return out;
}

function expectAllClose(actual: number[], expected: number[], tol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(Math.abs(value - expected[i]!), `index ${i}: ${value} vs ${expected[i]}`).toBeLessThanOrEqual(tol));
}

describe('returns', () => {
  it('should give n-1 simple returns as fractions', () => {
    expectAllClose(simpleReturns([100, 110, 99]), [0.1, -0.1], 1e-15);
  });

  it('should give n-1 log returns', () => {
    expectAllClose(logReturns([100, 110, 99]), [Math.log(1.1), Math.log(0.9)], 1e-15);
  });

  it('should give no returns for fewer than two closes', () => {
    expect(simpleReturns([])).toEqual([]);
    expect(simpleReturns([5])).toEqual([]);
    expect(logReturns([5])).toEqual([]);
  });
});

describe('mean and standard deviations', () => {
  it('should return NaN for inputs too short to have a value', () => {
    expect(mean([])).toBeNaN();
    expect(populationStdDev([])).toBeNaN();
    expect(sampleStdDev([1])).toBeNaN();
  });

  it('should match the technicalindicators population SD vector (divide by N)', () => {
    const { values, period, expected } = ind.population_sd;
    expectAllClose(rolling(values, period, populationStdDev), expected, 1e-12);
  });

  it('should match the pandas rolling std vector (sample, ddof=1)', () => {
    const { values, window, expected } = ind.sample_sd_pandas;
    const got = rolling(values, window, sampleStdDev);
    // pandas pads the first window-1 entries with NaN (null in JSON) and prints 6 decimals.
    expectAllClose(got, (expected as (number | null)[]).slice(window - 1) as number[], 1e-6);
  });

  it('should give an exact 0 for a flat window (pandas shows 2.58e-08 from float error)', () => {
    expect(sampleStdDev([5, 5, 5])).toBe(0);
    expect(populationStdDev([0.1, 0.1, 0.1, 0.1])).toBe(0);
  });
});

describe('sma', () => {
  it('should match the technicalindicators SMA vector, one value per full window', () => {
    const { values, period, expected } = ind.sma;
    expectAllClose(sma(values, period), expected, 1e-15);
  });

  it('should return nothing when there is no full window', () => {
    expect(sma([1, 2], 3)).toEqual([]);
  });

  it('should give the last full window from lastSma, or NaN if too few values', () => {
    const { values, period, expected } = ind.sma;
    expect(lastSma(values, period)).toBeCloseTo(expected[expected.length - 1], 15);
    expect(lastSma([1, 2], 3)).toBeNaN();
  });

  it('should reject a period that is not a whole number >= 1', () => {
    expect(() => sma([1, 2, 3], 0)).toThrow(RangeError);
    expect(() => lastSma([1, 2, 3], 1.5)).toThrow(RangeError);
    expect(() => atr([], -1)).toThrow(RangeError);
  });
});

describe('Bollinger Bands built from sma and populationStdDev', () => {
  it('should match the technicalindicators vector (middle, upper, lower, %B)', () => {
    const { close, period, stdDev, expected } = ind.bollinger_bands;
    const middles = sma(close, period);
    const sds = rolling(close, period, populationStdDev);
    expect(middles).toHaveLength(expected.length);
    (expected as { middle: number; upper: number; lower: number; pb: number }[]).forEach((band, i) => {
      const middle = middles[i]!;
      const upper = middle + stdDev * sds[i]!;
      const lower = middle - stdDev * sds[i]!;
      const pb = (close[i + period - 1] - lower) / (upper - lower);
      expect(middle).toBeCloseTo(band.middle, 9);
      expect(upper).toBeCloseTo(band.upper, 9);
      expect(lower).toBeCloseTo(band.lower, 9);
      expect(pb).toBeCloseTo(band.pb, 9);
    });
  });
});

describe('atr', () => {
  it('should match the technicalindicators Wilder ATR vector (TR from bar 1)', () => {
    const { high, low, close, period, expected } = ind.atr_wilder;
    const bars = (close as number[]).map((c, i) => ({ high: high[i], low: low[i], close: c }));
    expectAllClose(atr(bars, period), expected, 1e-12);
  });

  it('should return nothing until period true ranges exist', () => {
    const bar = { high: 2, low: 1, close: 1.5 };
    expect(atr([bar, bar], 2)).toEqual([]);
    expect(atr([bar, bar, bar], 2)).toEqual([1]);
  });
});

describe('zScore', () => {
  it('should measure the distance from the mean in standard deviations', () => {
    expect(zScore(14, 10, 2)).toBe(2);
    expect(zScore(6, 10, 2)).toBe(-2);
  });

  it('should return NaN rather than Infinity when the spread is zero', () => {
    expect(zScore(11, 10, 0)).toBeNaN();
    expect(zScore(11, 10, NaN)).toBeNaN();
  });
});
