/**
 * VolatilityStrategy: a daily-return breakout measured against the *previous* N returns.
 *
 * For the latest bar t, r_t = close_t / close_{t-1} - 1 is compared with the mean μ and the population
 * standard deviation σ of the N returns r_{t-N} .. r_{t-1}: z = (r_t - μ) / σ. A breakout is |z| >= k,
 * LONG when z > 0 and SHORT when z < 0. The band never contains r_t itself: a band that includes the
 * bar it judges is less extreme than it looks (a look-ahead: r_t would widen its own band).
 * @module
 */
import type { Signal, Bar } from '../core/types.ts';
import { mean, populationStdDev, simpleReturns } from './indicators.ts';

/** `k`: |z| threshold (standard deviations); `lookback`: N, how many previous daily returns form the band. */
export type BreakoutConfig = { k: number; lookback: number };

/** k = 2 standard deviations over the previous N = 20 daily returns (about one trading month). */

/**
 * What the strategy saw at the latest bar. `insufficient-data` when fewer than N+2 bars were given.
 * Otherwise `zScore`, `sigma` (population SD of the previous N returns, a fraction), `meanReturn` (their
 * mean, a fraction), `dailyReturn` (r_t, a fraction), `price` (close_t) and `asOf` (time of bar t);
 * `signal` is non-null iff status is 'breakout'.
 */
export type BreakoutReading =
  | { status: 'insufficient-data'; barsGiven: number; barsNeeded: number }
  | {
      status: 'breakout' | 'none';
      zScore: number;
      sigma: number;
      meanReturn: number;
      dailyReturn: number;
      price: number;
      asOf: Date;
      signal: Signal | null;
    };

function assertConfig({ k, lookback }: BreakoutConfig): void {
  if (!(k > 0) || !Number.isFinite(k)) throw new RangeError(`breakout k must be a finite number > 0, got ${k}`);
  // Two returns are the least that have a spread; fewer make σ meaningless.
  if (!Number.isInteger(lookback) || lookback < 2) {
    throw new RangeError(`breakout lookback must be a whole number >= 2, got ${lookback}`);
  }
}

/**
 * Read the breakout state of the latest bar of `bars` (oldest first). Only the last N+2 bars are used:
 * N+1 closes for the band's N returns, plus the breakout bar.
 * @throws RangeError when `config` is invalid, or when a close among the bars used is not a finite
 *   number > 0 (bad data must not turn into a signal).
 */
export function readBreakout(
  symbol: string,
  bars: Bar[],
  config: BreakoutConfig,
): BreakoutReading {
  assertConfig(config);
  const barsNeeded = config.lookback + 2;
  if (bars.length < barsNeeded) return { status: 'insufficient-data', barsGiven: bars.length, barsNeeded };

  const window = bars.slice(bars.length - barsNeeded);
  for (const bar of window) {
    if (!Number.isFinite(bar.close) || bar.close <= 0) {
      throw new RangeError(
        `${symbol}: bad close ${bar.close} on ${describeTime(bar.time)}; closes must be finite numbers > 0`,
      );
    }
  }
  const returns = simpleReturns(window.map((bar) => bar.close));
  const history = returns.slice(0, -1);
  const dailyReturn = returns[returns.length - 1]!;
  const latest = window[window.length - 1]!;

  const meanReturn = mean(history);
  const sigma = populationStdDev(history);
  // A flat history (σ = 0, e.g. a halted or stale quote repeating one close) gives no scale to measure a
  // move against; any move would be "infinitely" many σ. Report no breakout instead of inventing one.
  const z = sigma > 0 ? (dailyReturn - meanReturn) / sigma : 0;
  const reading = { zScore: z, sigma, meanReturn, dailyReturn, price: latest.close, asOf: latest.time };

  if (Math.abs(z) < config.k) return { status: 'none', ...reading, signal: null };
  const signal: Signal = {
    symbol,
    side: z > 0 ? 'LONG' : 'SHORT',
    zScore: z,
    sigma,
    dailyReturn,
    price: latest.close,
    asOf: latest.time,
    strategy: 'volatility-breakout',
  };
  return { status: 'breakout', ...reading, signal };
}

/** The breakout Signal at the latest bar, or null (no breakout, or too few bars). Same rules as readBreakout. */
export function detectBreakout(symbol: string, bars: Bar[], config: BreakoutConfig): Signal | null {
  const reading = readBreakout(symbol, bars, config);
  return reading.status === 'insufficient-data' ? null : reading.signal;
}

function describeTime(time: Date): string {
  return Number.isNaN(time.getTime()) ? 'an undated bar' : time.toISOString().slice(0, 10);
}

/**
 * The breakout band of every bar, as readBreakout would draw it for that bar: the closes that would be a
 * move of ±k σ from the previous close, prevClose × (1 + μ ± k σ) with μ and σ of the N returns before it.
 * Undefined while a bar has fewer than N returns before it. For charts: the same rule the signal uses.
 */
export function breakoutBands(bars: readonly Bar[], config: BreakoutConfig): ({ lower: number; upper: number } | undefined)[] {
  assertConfig(config);
  const returns = simpleReturns(bars.map((bar) => bar.close));
  return bars.map((_, i) => {
    // returns[j] is bar j+1's return; bar i's band uses the N returns before its own: returns[i-1-N .. i-2].
    if (i < config.lookback + 1) return undefined;
    const history = returns.slice(i - 1 - config.lookback, i - 1);
    const mu = mean(history);
    const sigma = populationStdDev(history);
    const previous = bars[i - 1]!.close;
    return { lower: previous * (1 + mu - config.k * sigma), upper: previous * (1 + mu + config.k * sigma) };
  });
}
