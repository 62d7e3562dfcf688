import type { Bar } from '../core/types.ts';
import type { OptionChain, Quote } from './types.ts';

/** Where prices come from. Implementations: yahoo, polygon, replay; `cached` decorates any of them. */
export interface MarketData {
  /** Name shown to users ("yahoo", "replay"). */
  readonly name: string;
  /**
   * Daily bars for `symbol`, oldest first, covering at least the last `lookbackDays` calendar days
   * up to the provider's "now" (replay: its as-of date; live: today, partial bar included).
   * Throws a MarketDataError (see errors.ts) on failure.
   */
  dailyBars(symbol: string, lookbackDays: number): Promise<Bar[]>;
  quote(symbol: string): Promise<Quote>;
  /** The option chain for one expiry; without `expiry`, the nearest listed one. */
  optionChain(symbol: string, expiry?: Date): Promise<OptionChain>;
  /**
   * Optional warm-up of what option chains need (Yahoo: its cookie/crumb pair), so a scan can start it
   * early instead of letting its first signals wait for it. Idempotent; resolves even when it fails
   * (the call that needs it then reports the error). The cache (cached.ts) only notes the wish and starts
   * the warm-up with its first call that goes upstream, so a scan answered from the cache sends nothing.
   */
  prepare?(): Promise<void>;
  /**
   * How many shares one share held at the end of `from` became by the end of `to` (4 for a 4:1 split, 0.125
   * for a 1:8 reverse split, 1 without one), when the source knows its splits. An option opened before a split
   * is valued on these terms: OCC adjusts its strike and deliverable by the same ratio.
   */
  splitRatio?(symbol: string, from: Date, to: Date): Promise<number>;
}
