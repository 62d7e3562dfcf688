/**
 * Basic series statistics and indicators. Pure functions over plain number arrays, oldest value first.
 * Statistics of an empty (or too short) input are NaN rather than a thrown error, so callers can test
 * with `Number.isFinite`; a malformed `period` is a programming error and throws a RangeError.
 * @module
 */

function assertPeriod(period: number, name = 'period'): void {
  if (!Number.isInteger(period) || period < 1) {
    throw new RangeError(`${name} must be a whole number >= 1, got ${period}`);
  }
}

/** Simple returns c[i]/c[i-1] - 1 as fractions (0.01 = +1%); length n-1, empty for fewer than 2 closes. */
export function simpleReturns(closes: number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < closes.length; i++) out.push(closes[i]! / closes[i - 1]! - 1);
  return out;
}

/** Log returns ln(c[i]/c[i-1]); length n-1, empty for fewer than 2 closes. */
export function logReturns(closes: number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < closes.length; i++) out.push(Math.log(closes[i]! / closes[i - 1]!));
  return out;
}

/** Arithmetic mean; NaN for an empty array. */
export function mean(xs: number[]): number {
  if (xs.length === 0) return NaN;
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Sum of squared deviations from the mean, two-pass (more accurate than E[x²] - E[x]² on near-flat data). */
function sumSquaredDeviations(xs: number[]): number {
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return ss;
}

/**
 * Population standard deviation (divides by N), as Bollinger Bands, technicalindicators SD, TA-Lib and
 * LEAN use. NaN for an empty array.
 */
export function populationStdDev(xs: number[]): number {
  if (xs.length === 0) return NaN;
  return Math.sqrt(sumSquaredDeviations(xs) / xs.length);
}

/** Sample standard deviation (divides by N-1), as pandas `rolling().std()` does. NaN for fewer than 2 values. */
export function sampleStdDev(xs: number[]): number {
  if (xs.length < 2) return NaN;
  return Math.sqrt(sumSquaredDeviations(xs) / (xs.length - 1));
}

/**
 * Simple moving average: one value per full window, like technicalindicators' SMA. The first output is
 * the mean of values[0..period-1]; the output has length max(0, n - period + 1). Each window is summed
 * afresh (not as a running sum) so rounding error does not accumulate along long series.
 * @throws RangeError when `period` is not a whole number >= 1.
 */
export function sma(values: number[], period: number): number[] {
  assertPeriod(period);
  const out: number[] = [];
  for (let end = period; end <= values.length; end++) out.push(mean(values.slice(end - period, end)));
  return out;
}

/** Mean of the last `period` values (including the last one); NaN when fewer than `period` values. */
export function lastSma(values: number[], period: number): number {
  assertPeriod(period);
  if (values.length < period) return NaN;
  return mean(values.slice(values.length - period));
}

/**
 * Standard score (x - mean) / sd. NaN when sd is 0 or not finite: a zero spread gives no scale to
 * measure against, and ±Infinity would read as an extreme signal.
 */
export function zScore(x: number, mean: number, sd: number): number {
  if (!(sd > 0) || !Number.isFinite(sd)) return NaN;
  return (x - mean) / sd;
}

/**
 * Average True Range with Wilder smoothing, as technicalindicators computes it. True range starts at
 * bar 1 (bar 0 has no previous close): TR_i = max(H_i - L_i, |H_i - C_{i-1}|, |L_i - C_{i-1}|). The
 * first ATR is the mean of the first `period` TRs (at bar `period`), then ATR = (prev·(period-1) + TR)/period.
 * Output has length max(0, n - period), in price units; the value at index j belongs to bar j + period.
 * @throws RangeError when `period` is not a whole number >= 1.
 */
export function atr(bars: Pick<Bar, 'high' | 'low' | 'close'>[], period: number): number[] {
  assertPeriod(period);
  const trueRanges: number[] = [];
  for (let i = 1; i < bars.length; i++) {
    const bar = bars[i]!;
    const previousClose = bars[i - 1]!.close;
    trueRanges.push(
      Math.max(bar.high - bar.low, Math.abs(bar.high - previousClose), Math.abs(bar.low - previousClose)),
    );
  }
  if (trueRanges.length < period) return [];
  let current = mean(trueRanges.slice(0, period));
  const out = [current];
  for (let i = period; i < trueRanges.length; i++) {
    current = (current * (period - 1) + trueRanges[i]!) / period;
    out.push(current);
  }
  return out;
}import type { Bar } from '../core/types.ts';

