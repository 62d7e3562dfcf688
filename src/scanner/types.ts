import { z } from 'zod';
import type { MarketDataErrorKind } from '../core/errors.ts';
import type { BreakoutReading } from '../analysis/volatility.ts';
import type { Bar, Regime, Signal } from '../core/types.ts';
import type { TradePlan } from '../trading/types.ts';

/** What the scan found for one ticker. Exactly one of error / reading is set. */
export type TickerResult = {
  symbol: string;
  /** The breakout reading (z-score etc.), also when there was no signal. */
  reading?: BreakoutReading;
  /**
   * The completed daily bars the reading was made from, the last CHART_SESSIONS + lookback + 1 of them (oldest
   * first), for the ticker's chart. In memory only: a report stored or printed as JSON leaves them out.
   */
  bars?: readonly Bar[];
  signal: Signal | null;
  plan: TradePlan | null;
  /** A paper position for this symbol and side is already open: the signal is not sized or alerted again. */
  held?: boolean;
  error?: { kind: MarketDataErrorKind | 'internal'; message: string };
};

/** The counts every stored cycle keeps, as read back from JSON (the diary journal, /status). */
export const StoredScanStats = z.object({
  scanned: z.number(),
  signals: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  errors: z.number(),
  durationMs: z.number(),
});

export type ScanStats = {
  scanned: number;
  signals: number;
  accepted: number;
  rejected: number;
  errors: number;
  durationMs: number;
  /** HTTP requests the data provider made during the scan (0 on a warm cache or replay). */
  upstreamRequests: number;
};

/** How far a scan has got: tickers finished of `total`, and how many of them failed or signalled. */
export type ScanProgress = { done: number; total: number; errors: number; signals: number };

/** One full cycle's outcome: what every later layer (alerts, ledger, diary, CLI) formats. */
export type CycleReport = {
  /** Source of prices, e.g. "yahoo", "replay". */
  source: string;
  /** True when any option price shown came from a model rather than a quote. */
  modeled: boolean;
  startedAt: Date;
  regime: Regime;
  results: TickerResult[];
  stats: ScanStats;
};
