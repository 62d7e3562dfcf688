/**
 * @module MarketData decorator that reports each failed call by kind (not_found, rate_limited, upstream,
 * bad_data) to a hook, for metrics. It sits under the cache, so only calls that reached the source count; it
 * imports no metrics library (app/ implements the hook) and changes no answer or error.
 */
import { MarketDataError, type MarketDataErrorKind } from '../core/errors.ts';
import type { MarketData } from './provider.ts';

export type MarketEvents = {
  /** A call to the source failed; `internal` is anything that is not a MarketDataError (a bug). Must not throw. */
  failed?(kind: MarketDataErrorKind | 'internal'): void;
};

export function observedMarketData(inner: MarketData, events: MarketEvents): MarketData {
  async function watch<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      events.failed?.(err instanceof MarketDataError ? err.kind : 'internal');
      throw err;
    }
  }
  // Every member of MarketData, optional ones included (a test checks none is dropped).
  return {
    name: inner.name,
    ...(inner.prepare ? { prepare: () => inner.prepare!() } : {}),
    ...(inner.splitRatio ? { splitRatio: (symbol: string, from: Date, to: Date) => watch(() => inner.splitRatio!(symbol, from, to)) } : {}),
    dailyBars: (symbol, lookbackDays) => watch(() => inner.dailyBars(symbol, lookbackDays)),
    quote: (symbol) => watch(() => inner.quote(symbol)),
    optionChain: (symbol, expiry) => watch(() => inner.optionChain(symbol, expiry)),
  };
}
