/**
 * The domain types every layer shares: market bars in, and what the pure analysis layer decides from them.
 * Every decision carries its reasons in words.
 */

/** One daily bar. `time` is the session date at 00:00 UTC (the exchange-local trading day). */
export type Bar = {
  time: Date;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
};

export type RegimeState = 'BULLISH' | 'NEUTRAL' | 'BEARISH';
export type Side = 'LONG' | 'SHORT';

export type Regime = {
  state: RegimeState;
  /** Latest VIX close used for the decision; NaN when VIX data was missing. */
  vix: number;
  /** Latest SPY close and its moving average (NaN when unknown). */
  spy: number;
  spySma: number;
  /** (spy / spySma) - 1: positive above the average, negative below. */
  spyTrend: number;
  /** Exposure multipliers applied to position budgets, 0..1. */
  long: number;
  short: number;
  /** Human-readable reasons, e.g. "VIX 23.66 > 20". */
  reasons: string[];
  /** Time of the latest bar the decision used. */
  asOf: Date;
  /**
   * Decided without complete data (VIX or SPY missing): NEUTRAL by rule, but not news. It is not
   * announced as a regime change, nor kept as the state hysteresis starts from.
   */
  degraded?: boolean;
};

export type Signal = {
  symbol: string;
  side: Side;
  /** (latest return - mean of the previous N returns) / their population standard deviation. */
  zScore: number;
  /** Population standard deviation of the previous N daily returns (a fraction, 0.02 = 2%). */
  sigma: number;
  /** The breakout bar's daily return (a fraction). */
  dailyReturn: number;
  /** Close of the breakout bar. */
  price: number;
  asOf: Date;
  strategy: 'volatility-breakout';
};
