/**
 * Live market data from Yahoo Finance through yahoo-finance2 (4.x, Node >= 22).
 *
 * Every HTTP request the library makes, the cookie/crumb flow included, goes through one fetch
 * wrapper (yahoo-wire.ts: redirect to `apiRoot`, count, timeout, typed HTTP errors). Each public method
 * maps failures to a MarketDataError and retries through `withRetry`.
 *
 * Library facts this relies on (yahoo-finance2 4.0.2, esm build):
 * - Requests go through a queue PER YahooFinance INSTANCE (`queue.concurrency`); two providers in one
 *   process do not share a limit (3.x had one module-level queue).
 * - The crumb is cached PER COOKIE JAR (3.x: one module-level variable), reused only while that jar holds
 *   a cookie for finance.yahoo.com. Each provider gets its own jar, so a new one runs its own crumb flow.
 *
 * US share classes: callers may spell them BRK.B (Polygon's form, and what parseTicker suggests) or BRK-B
 * (Yahoo's); `yahooSymbol` turns the former into the latter on the wire, and results keep the caller's spelling.
 */
import type { Bar } from '../core/types.ts';
import YahooFinance from 'yahoo-finance2';
import { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';
import getCrumb, { getCrumbClear } from 'yahoo-finance2/lib/getCrumb';
import type { CallOrPut, OptionsResult } from 'yahoo-finance2/modules/options';
import type { Quote as YahooQuote } from 'yahoo-finance2/modules/quote';
import { MarketDataError, type MarketDataErrorKind } from '../core/errors.ts';
import type { MarketData } from './provider.ts';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../core/retry.ts';
import { createWire, toMarketDataError } from './yahoo-wire.ts';
import type { OptionChain, OptionContract, OptionRight, Quote } from './types.ts';

export type YahooOptions = {
  /** Send every request to `${apiRoot}${path}${query}` instead of Yahoo's hosts (YAHOO_API_ROOT). */
  apiRoot?: string;
  /** Requests in flight at once in this provider's queue (the library keeps one per instance). Default 10. */
  concurrency?: number;
  retry?: RetryPolicy;
  now?: () => Date;
  /** Wait used between retries; injected in tests. */
  sleep?: (delayMs: number) => Promise<void>;
  /** Per HTTP request, body included. Default 10 s. */
  timeoutMs?: number;
};

const DAY_MS = 86_400_000;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_CONCURRENCY = 10;
const SOURCE = 'yahoo';

/** The calendar day of `date` in `timeZone`, as 00:00 UTC of that day. */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();
function tradingDay(date: Date, timeZone: string): Date {
  let fmt = dayFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, fmt);
  }
  return new Date(`${fmt.format(date)}T00:00:00Z`);
}

/** A US share class in Polygon's spelling: a 1-5 letter root, a dot, and class A, B or C (BRK.B, MOG.A). */
const DOTTED_SHARE_CLASS = /^([A-Z]{1,5})\.([ABC])$/;

/**
 * The symbol Yahoo knows `symbol` by: a US share class spelled with a dot (BRK.B) becomes Yahoo's dashed
 * BRK-B. Everything else is sent as given; above all exchange suffixes (OCDO.L, AZT.OL, SHOP.TO), which Yahoo
 * also writes with a dot: only a single class letter A-C after a short root counts as a share class.
 */
export function yahooSymbol(symbol: string): string {
  return symbol.replace(DOTTED_SHARE_CLASS, '$1-$2');
}

const utcDay = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));

/** yahoo-finance2's logger: silent, so it never prints (its debug lines include the crumb). */
const quietLogger = { info() {}, warn() {}, error() {}, debug() {}, dir() {} };

/**
 * Yahoo drops fields from single contracts now and then (gadicc/yahoo-finance2#561), which fails the
 * whole chain's validation. When every complaint is about individual contracts, keep the validated,
 * coerced rest (`err.result`); `isUsable` then drops contracts we cannot price and the mapping fills
 * the gaps (bid/ask 0, implied vol NaN). Any other failure is rethrown.
 */
function salvageContracts(err: unknown): OptionsResult {
  const e = err as { name?: string; result?: unknown; errors?: { instancePath?: string }[] };
  const perContract = /^\/options\/\d+\/(calls|puts)\/\d+(\/|$)/;
  if (e.name !== 'FailedYahooValidationError' || typeof e.result !== 'object' || e.result === null || !e.errors?.length) throw err;
  if (!e.errors.every((x) => perContract.test(x.instancePath ?? ''))) throw err;
  return e.result as OptionsResult;
}

const isUsable = (c: Partial<CallOrPut>): c is CallOrPut =>
  typeof c.contractSymbol === 'string' && Number.isFinite(c.strike) && c.expiration instanceof Date;

/**
 * MarketData backed by Yahoo Finance. `upstreamRequests()` counts every HTTP request made, crumb flow
 * and retries included (the benchmark reports it).
 */
export function createYahooMarketData(opts: YahooOptions = {}): MarketData & { upstreamRequests(): number } {
  const now = opts.now ?? (() => new Date());
  const wire = createWire(opts.apiRoot, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const cookieJar = new ExtendedCookieJar();
  const yf = new YahooFinance({
    fetch: wire.fetch,
    cookieJar,
    logger: quietLogger,
    versionCheck: false, // otherwise a validation failure calls registry.npmjs.org, bypassing our fetch
    suppressNotices: ['yahooSurvey'],
    validation: { logErrors: false },
    queue: { concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY },
  });
  /**
   * The cookie/crumb flow, started on request (`prepare`). Charts need no crumb, but option chains do, and
   * a scan asks for chains while bars are still coming in: warmed early, the first signals do not wait two
   * round trips for it. The library reuses the crumb this fetches (cached per cookie jar, and the jar is
   * this provider's), so it adds no request. Its failure is left to the call that needs the crumb.
   */
  let crumbReady: Promise<void> | null = null;
  const prepare = (): Promise<void> => {
    const fetchOptions = (yf as unknown as { _opts: { fetchOptions?: object } })._opts.fetchOptions ?? {};
    const notices = { show() {} } as unknown as Parameters<typeof getCrumb>[4];
    crumbReady ??= Promise.resolve()
      .then(() => getCrumb(cookieJar, wire.fetch, fetchOptions, quietLogger, notices))
      .then(
        () => undefined,
        () => {
          crumbReady = null;
        },
      );
    return crumbReady;
  };

  const call = <T>(what: string, symbol: string, op: () => Promise<T>): Promise<T> =>
    withRetry(
      async () => {
        try {
          return await op();
        } catch (err) {
          const mapped = toMarketDataError(err, symbol, what, wire.secrets());
          // An expired or rejected crumb stays cached until cleared; clear it so the retry fetches a fresh one.
          if (mapped.options.status === 401 || mapped.options.status === 403) await getCrumbClear(cookieJar);
          throw mapped;
        }
      },
      { policy: opts.retry ?? DEFAULT_RETRY, sleep: opts.sleep },
    );

  const fail = (kind: MarketDataErrorKind, what: string, symbol: string, detail: string) =>
    new MarketDataError(kind, SOURCE, symbol, `yahoo ${what} ${symbol}: ${detail}`);

  return {
    name: 'yahoo',
    upstreamRequests: wire.count,

    prepare,

    dailyBars(symbol, lookbackDays) {
      return call('chart', symbol, async () => {
        const endMs = now().getTime();
        const chart = await yf.chart(yahooSymbol(symbol), {
          period1: new Date(endMs - Math.max(1, lookbackDays) * DAY_MS),
          period2: new Date(endMs),
          interval: '1d',
        });
        const timeZone = chart.meta.exchangeTimezoneName || 'America/New_York';
        const byDay = new Map<number, Bar>();
        for (const q of chart.quotes) {
          if (q.close === null || !Number.isFinite(q.close)) continue; // halted days and Yahoo's placeholder rows
          const time = tradingDay(q.date, timeZone);
          const close = q.close;
          // Keyed by day: Yahoo sometimes repeats the live bar; the later row wins.
          byDay.set(time.getTime(), {
            time,
            open: q.open ?? close,
            high: q.high ?? close,
            low: q.low ?? close,
            close,
            volume: q.volume ?? 0,
          });
        }
        return [...byDay.values()].sort((a, b) => a.time.getTime() - b.time.getTime());
      });
    },

    quote(symbol): Promise<Quote> {
      return call('quote', symbol, async () => {
        const q = (await yf.quote(yahooSymbol(symbol))) as YahooQuote | undefined;
        if (!q || Array.isArray(q)) throw fail('not_found', 'quote', symbol, 'no such symbol');
        const price = q.regularMarketPrice;
        if (typeof price !== 'number' || !Number.isFinite(price)) throw fail('bad_data', 'quote', symbol, 'no regularMarketPrice');
        const previousClose = q.regularMarketPreviousClose;
        return {
          symbol,
          price,
          ...(typeof previousClose === 'number' ? { previousClose } : {}),
          time: q.regularMarketTime ?? now(),
        };
      });
    },

    optionChain(symbol, expiry): Promise<OptionChain> {
      return call('options', symbol, async () => {
        const result = await yf.options(yahooSymbol(symbol), expiry ? { date: utcDay(expiry) } : {}).catch(salvageContracts);
        const listed = result.options[0];
        const chainExpiry = listed?.expirationDate ?? expiry ?? result.expirationDates[0];
        if (!chainExpiry) throw fail('not_found', 'options', symbol, 'no listed options');
        const toContract = (c: CallOrPut, right: OptionRight): OptionContract => ({
          symbol: c.contractSymbol,
          underlying: symbol,
          right,
          strike: c.strike,
          expiry: utcDay(c.expiration),
          bid: c.bid ?? 0,
          ask: c.ask ?? 0,
          last: c.lastPrice ?? 0,
          volume: c.volume ?? 0,
          openInterest: c.openInterest ?? 0,
          impliedVol: Number.isFinite(c.impliedVolatility) ? c.impliedVolatility : Number.NaN,
          modeled: false,
        });
        return {
          underlying: symbol,
          underlyingPrice: result.quote.regularMarketPrice ?? Number.NaN,
          expiries: result.expirationDates.map(utcDay).sort((a, b) => a.getTime() - b.getTime()),
          expiry: utcDay(chainExpiry),
          calls: (listed?.calls ?? []).filter(isUsable).map((c) => toContract(c, 'call')),
          puts: (listed?.puts ?? []).filter(isUsable).map((c) => toContract(c, 'put')),
          modeled: false,
          asOf: result.quote.regularMarketTime ?? now(),
        };
      });
    },
  };
}
