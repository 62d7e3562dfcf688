/**
 * @module MarketData decorator: caches answers in a Store, shares one upstream call between concurrent
 * callers of the same key, and remembers "no such ticker" for a while.
 *
 * The cache is an optimisation, not a dependency: if the Store fails (Redis down mid-run), the call goes
 * to the inner provider as if the cache were empty, and `stats().storeErrors` counts it.
 */
import type { Bar } from '../core/types.ts';
import { MarketDataError } from '../core/errors.ts';
import { nextTradingDay, nyDate, sessionFor } from '../analysis/calendar.ts';
import type { Store } from '../store/store.ts';
import type { MarketData } from './provider.ts';
import type { OptionChain, OptionContract, Quote } from './types.ts';

/** How long each kind of answer stays cached, in ms (daily bars: see barsTtlMs). */
export type CacheTtls = {
  quoteMs: number;
  chainMs: number;
  notFoundMs: number;
  /** Daily bars while a session is open: today's bar is still moving, so each cycle must see it anew. */
  intradayBarsMs: number;
};

/** Defaults: quotes 60 s, chains 5 min, unknown tickers 1 h. */
export const DEFAULT_CACHE_TTLS = {
  quoteMs: 60_000,
  chainMs: 5 * 60_000,
  notFoundMs: 60 * 60_000,
  intradayBarsMs: 5 * 60_000,
} as const satisfies CacheTtls;

/**
 * How long daily bars stay fresh at `at`: during a session only briefly (the day's bar moves), before the
 * open until the open (then today's bar appears), after the close until the next session opens.
 */
export function barsTtlMs(at: Date, intradayBarsMs: number): number {
  const today = sessionFor(nyDate(at));
  const atMs = at.getTime();
  if (today && atMs < today.open.getTime()) return today.open.getTime() - atMs;
  if (today && atMs < today.close.getTime()) return Math.min(intradayBarsMs, today.close.getTime() - atMs);
  const next = sessionFor(nextTradingDay(nyDate(at)));
  return Math.max(1, (next?.open.getTime() ?? atMs + 86_400_000) - atMs);
}

/** Counters for logs and tests. */
export type CacheStats = {
  /** Answered from the Store (including remembered not-found errors). */
  hits: number;
  /** Went to the inner provider. */
  misses: number;
  /** Joined a call for the same key already in flight. */
  deduped: number;
  /** Store reads or writes that failed and were bypassed. */
  storeErrors: number;
};

/** What a cache lookup was for: the label its hit and miss are counted under. */
export type CacheKind = 'bars' | 'quote' | 'chain';

/**
 * Hooks for metrics, called as each lookup is answered (a joined in-flight call is neither). The cache
 * imports no metrics library; app/ implements these. They must not throw.
 */
export type CacheEvents = {
  hit?(kind: CacheKind): void;
  miss?(kind: CacheKind): void;
};

/** Options for cachedMarketData. */
export type CachedMarketDataOptions = {
  /** Key prefix; default 'hx:md'. Replays pass one that includes the as-of date. */
  namespace?: string;
  ttls?: Partial<CacheTtls>;
  /** The clock deciding bar expiry (next session close); default the wall clock. */
  now?: () => Date;
  events?: CacheEvents;
};

/** What is stored under a key: a value, or the not-found error to re-throw. */
type NotFound = { source: string; symbol: string; message: string };
type Envelope = { v: unknown } | { nf: NotFound };

// JSON turns Dates into ISO strings and NaN into null; these put both back.
const reviveBars = (raw: unknown): Bar[] => (raw as Bar[]).map((bar) => ({ ...bar, time: new Date(bar.time) }));

const reviveQuote = (raw: unknown): Quote => {
  const quote = raw as Quote;
  return { ...quote, time: new Date(quote.time) };
};

const reviveContract = (c: OptionContract): OptionContract => ({
  ...c,
  expiry: new Date(c.expiry),
  impliedVol: c.impliedVol ?? NaN,
});

const reviveChain = (raw: unknown): OptionChain => {
  const chain = raw as OptionChain;
  return {
    ...chain,
    expiries: chain.expiries.map((d) => new Date(d)),
    expiry: new Date(chain.expiry),
    asOf: new Date(chain.asOf),
    calls: chain.calls.map(reviveContract),
    puts: chain.puts.map(reviveContract),
  };
};

/**
 * Wrap `inner` with a Store-backed cache. Keys look like `${namespace}:${inner.name}:bars:NFLX:60`.
 * TTLs: daily bars until the next session close (they cannot change before it), quotes `quoteMs`,
 * option chains `chainMs`, MarketDataError 'not_found' `notFoundMs`. Other errors are never cached.
 */
export function cachedMarketData(
  inner: MarketData,
  store: Store,
  opts: CachedMarketDataOptions = {},
): MarketData & { stats(): CacheStats } {
  const namespace = opts.namespace ?? 'hx:md';
  const ttls: CacheTtls = { ...DEFAULT_CACHE_TTLS, ...opts.ttls };
  const now = opts.now ?? (() => new Date());
  const stats: CacheStats = { hits: 0, misses: 0, deduped: 0, storeErrors: 0 };
  const inFlight = new Map<string, Promise<unknown>>();
  const keyOf = (...parts: (string | number)[]) => [namespace, inner.name, ...parts].join(':');

  /**
   * prepare() asks for the inner warm-up (Yahoo's cookie/crumb, two requests) but does not start it: the first
   * call after it that goes upstream does. A scan answered wholly from the cache thus makes no request at all,
   * while a cold one still overlaps the crumb with its first bars: chains expire no later than bars, so a scan
   * that fetches bars upstream fetches its signals' chains upstream too.
   */
  let warmUpWanted = false;
  const warmUpOnMiss = () => {
    if (!warmUpWanted || !inner.prepare) return;
    warmUpWanted = false;
    void inner.prepare();
  };

  /** The cached answer for `key`, or undefined on a miss, an unreachable store or an unreadable entry. */
  async function read<T>(key: string, revive: (raw: unknown) => T): Promise<{ value: T } | { nf: NotFound } | undefined> {
    try {
      const raw = await store.get(key);
      if (raw === null) return undefined;
      const envelope = JSON.parse(raw) as Envelope;
      return 'nf' in envelope ? { nf: envelope.nf } : { value: revive(envelope.v) };
    } catch {
      stats.storeErrors++; // treat as a miss: the inner provider answers, and the write below repairs it
      return undefined;
    }
  }

  async function write(key: string, envelope: Envelope, ttlMs: number): Promise<void> {
    try {
      await store.set(key, JSON.stringify(envelope), ttlMs);
    } catch {
      stats.storeErrors++; // the caller still gets its answer; the next call just misses again
    }
  }

  async function load<T>(kind: CacheKind, key: string, ttlMs: () => number, fetch: () => Promise<T>, revive: (raw: unknown) => T): Promise<T> {
    const cached = await read(key, revive);
    if (cached) {
      stats.hits++;
      opts.events?.hit?.(kind);
      if ('nf' in cached) throw new MarketDataError('not_found', cached.nf.source, cached.nf.symbol, cached.nf.message);
      return cached.value;
    }
    stats.misses++;
    opts.events?.miss?.(kind);
    warmUpOnMiss();
    let value: T;
    try {
      value = await fetch();
    } catch (err) {
      if (err instanceof MarketDataError && err.kind === 'not_found') {
        await write(key, { nf: { source: err.source, symbol: err.symbol, message: err.message } }, ttls.notFoundMs);
      }
      throw err;
    }
    await write(key, { v: value }, ttlMs());
    return value;
  }

  /** One load per key at a time: later callers share the pending promise (cache read included). */
  function once<T>(kind: CacheKind, key: string, ttlMs: () => number, fetch: () => Promise<T>, revive: (raw: unknown) => T): Promise<T> {
    const pending = inFlight.get(key);
    if (pending) {
      stats.deduped++;
      return pending as Promise<T>;
    }
    const promise = load(kind, key, ttlMs, fetch, revive);
    inFlight.set(key, promise);
    const forget = () => inFlight.delete(key);
    // Forget on success and failure alike, so a failed call is retried by the next caller.
    promise.then(forget, forget);
    return promise;
  }

  return {
    name: inner.name,
    ...(inner.prepare
      ? {
          prepare: async () => {
            warmUpWanted = true;
          },
        }
      : {}),
    ...(inner.splitRatio ? { splitRatio: (symbol: string, from: Date, to: Date) => inner.splitRatio!(symbol, from, to) } : {}),
    dailyBars: (symbol, lookbackDays) =>
      once(
        'bars',
        keyOf('bars', symbol, lookbackDays),
        () => barsTtlMs(now(), ttls.intradayBarsMs),
        () => inner.dailyBars(symbol, lookbackDays),
        reviveBars,
      ),
    quote: (symbol) => once('quote', keyOf('quote', symbol), () => ttls.quoteMs, () => inner.quote(symbol), reviveQuote),
    optionChain: (symbol, expiry) =>
      once(
        'chain',
        keyOf('chain', symbol, expiry ? expiry.toISOString().slice(0, 10) : 'nearest'),
        () => ttls.chainMs,
        () => inner.optionChain(symbol, expiry),
        reviveChain,
      ),
    stats: () => ({ ...stats }),
  };
}
