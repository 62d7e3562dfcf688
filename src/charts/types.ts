/**
 * Inputs of the chart builders: plain data, so any layer can fill them and tests can write them by hand.
 * Prices and amounts in US dollars; dates are days at 00:00 UTC and are shown in UTC ("Mar 20").
 * @module
 */

export type ChartSide = 'LONG' | 'SHORT';

/** One session of the /scan chart. `band` is the ±kσ band around the previous close, in dollars. */
export type ScanPoint = {
  time: Date;
  close: number;
  /**
   * The close that the breakout rule would call a move of ±kσ from the previous close:
   * prevClose × (1 + μ ± kσ), with μ and σ of the N returns before this bar. Absent while there is
   * not enough history; the band then has a gap.
   */
  band?: { lower: number; upper: number };
};

export type ScanChartInput = {
  symbol: string;
  side: ChartSide;
  zScore: number;
  /** Oldest first. Only the last `sessions` are drawn. */
  points: ScanPoint[];
  /** How many trailing sessions to draw; default 60. */
  sessions?: number;
  /** The band's width in σ, for the legend ("±2σ band"). */
  k: number;
  /** Index into `points` of the breakout bar; default the last point; null when there is none (no mark, no claim). */
  breakoutIndex?: number | null;
  /** The chosen contract, drawn as a dashed line at its strike: "$240 put, Mar 20". */
  option?: { strike: number; right: 'call' | 'put'; expiry: Date };
  /** Caption: "BEARISH regime · long 0.0x / short 1.0x". `long`/`short` are exposure multipliers 0..1. */
  regime?: { state: 'BULLISH' | 'NEUTRAL' | 'BEARISH'; long: number; short: number };
  /** True when the prices shown come from a model (replay), not a recorded or live quote. */
  modeled: boolean;
};

/** A trade on the equity chart, placed on the curve at `time`. */
export type EquityTrade = {
  time: Date;
  kind: 'open' | 'close';
  /** For closed trades: the sign of the realised P&L. Open trades have none. */
  outcome?: 'win' | 'loss';
};

/** The $10k -> $1M challenge: the equity needed at each day to stay on an exponential path. */
export type ChallengePath = {
  startUsd: number;
  targetUsd: number;
  months: number;
  /** When the challenge began; default the first equity point. */
  start?: Date;
};

export type EquityChartInput = {
  /** Default "Equity". */
  title?: string;
  /** Oldest first, at least one point. */
  points: Array<{ time: Date; equityUsd: number }>;
  challenge?: ChallengePath;
  trades?: EquityTrade[];
  /**
   * `auto` (default) is log when the values drawn span 5x or more, where a linear axis would flatten
   * the early curve; otherwise linear, where dollar steps are easier to read.
   */
  scale?: 'auto' | 'linear' | 'log';
  /** True when the equity comes from modeled option prices. */
  modeled?: boolean;
};
