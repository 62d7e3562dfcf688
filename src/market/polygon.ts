/**
 * Live market data from Polygon.io through @polygon.io/client-js 8.x (ESM, REST only).
 *
 * Every HTTP request goes through one client (polygon-wire.ts: apiRoot, counter, timeout, error mapping);
 * every answer is checked against a schema of the fields we read (polygon-body.ts). Each request is retried
 * on its own through `withRetry`, so a retry never repeats a sibling request that already succeeded.
 *
 * What each method asks for, and which plan that needs:
 * - dailyBars: day aggregates (`^VIX` and other `^X` symbols: the index `I:X`, which needs an indices plan).
 * - quote: the previous day's aggregate (every plan) plus the last trade where the plan allows it; once
 *   Polygon refuses last trades, the previous close is the price and we stop asking.
 * - optionChain: the contracts reference for the expiries, then the chain snapshot of one expiry (an
 *   options plan). When the snapshot lacks the underlying price (plans without real-time stocks), the
 *   freshest price we can get stands in, marked in `underlyingPriceSource`: the last trade where the plan
 *   allows it, else the close of today's day aggregate (partial while the session runs), else the
 *   previous close.
 *
 * US share classes: callers may spell them BRK.B (Polygon's form) or BRK-B (Yahoo's); `polygonTicker`
 * turns the latter into the former on the wire, and results keep the caller's spelling.
 * @module
 */
import type { Bar } from '../core/types.ts';
import {
  GetIndicesAggregatesSortEnum,
  GetIndicesAggregatesTimespanEnum,
  GetOptionsChainOrderEnum,
  GetOptionsChainSortEnum,
  GetStocksAggregatesSortEnum,
  GetStocksAggregatesTimespanEnum,
  ListOptionsContractsOrderEnum,
  ListOptionsContractsSortEnum,
} from '@polygon.io/client-js';
import PQueue from 'p-queue';
import type { ZodType } from 'zod';
import { MarketDataError } from '../core/errors.ts';
import { nyDate, sessionFor } from '../analysis/calendar.ts';
import {
  AggregatesBody,
  ChainBody,
  ContractsBody,
  dayOf,
  fromNanos,
  LastTradeBody,
  parseBody,
  toBar,
  toContract,
  type ChainContract,
} from './polygon-body.ts';
import { createPolygonWire, PolygonRefusedError, toPolygonError } from './polygon-wire.ts';
import type { MarketData } from './provider.ts';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../core/retry.ts';
import type { OptionChain, OptionContract, Quote } from './types.ts';

export type PolygonOptions = {
  /** POLYGON_API_KEY. Sent as the `apiKey` query parameter; kept out of every error message. */
  apiKey: string;
  /** Base URL of every request (POLYGON_API_ROOT); default https://api.polygon.io. */
  apiRoot?: string;
  now?: () => Date;
  retry?: RetryPolicy;
  /** Wait used between retries; injected in tests. */
  sleep?: (delayMs: number) => Promise<void>;
  /** Per HTTP request. Default 10 s. */
  timeoutMs?: number;
  /**
   * Most HTTP requests started in any 60 s (POLYGON_RATE_LIMIT; the free plan allows 5), retries included.
   * Requests beyond it wait for their turn instead of drawing 429s. Unlimited when unset.
   */
  rateLimitPerMin?: number;
};

const SOURCE = 'polygon';
const DEFAULT_API_ROOT = 'https://api.polygon.io';
const DEFAULT_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;
/** The aggregates endpoint's largest page: decades of daily bars, so one request always suffices. */
const MAX_AGGREGATES = 50_000;
/** The contracts reference's largest page. Sorted by expiry, it holds the nearest expiries. */
const CONTRACTS_PAGE_LIMIT = 1_000;
/** The chain snapshot's largest page. */
const CHAIN_PAGE_LIMIT = 250;
/** Pages of one expiry's chain we follow (1,000 contracts); a longer chain loses its highest strikes. */
const MAX_CHAIN_PAGES = 4;
/** The window POLYGON_RATE_LIMIT counts requests in. */
const RATE_WINDOW_MS = 60_000;
/** Below this many calendar days an empty window can be a long weekend, not an unknown ticker. */
const MIN_DAYS_FOR_NOT_FOUND = 7;

/** Yahoo-style index symbols (`^VIX`) as Polygon index tickers (`I:VIX`); undefined for anything else. */
const indexTicker = (symbol: string) => (symbol.startsWith('^') ? `I:${symbol.slice(1)}` : undefined);

/** A US share class in Yahoo's spelling: a 1-5 letter root, a dash, and class A, B or C (BRK-B, BF-B). */
const DASHED_SHARE_CLASS = /^([A-Z]{1,5})-([ABC])$/;

/**
 * The stock (and options underlying) ticker Polygon knows `symbol` by: a US share class spelled with a dash
 * (BRK-B, Yahoo's form) becomes Polygon's dotted BRK.B; everything else is sent as given. Only a single class
 * letter A-C after a short root counts, so pairs like BTC-USD are left alone.
 */
export function polygonTicker(symbol: string): string {
  return symbol.replace(DASHED_SHARE_CLASS, '$1.$2');
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

type PriceSource = NonNullable<OptionChain['underlyingPriceSource']>;

/** The `cursor` of an absolute next_url, which we replay against apiRoot instead of following the URL. */
function cursorOf(nextUrl: string | null | undefined): string | undefined {
  if (!nextUrl) return undefined;
  try {
    return new URL(nextUrl).searchParams.get('cursor') ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * MarketData backed by Polygon.io. Option chains list the nearest expiries only (one page of the contracts
 * reference, up to 1,000 contracts sorted by expiry), which is what the scanner's expiry fallback needs.
 * `upstreamRequests()` counts every HTTP request, retries included.
 */
export function createPolygonMarketData(opts: PolygonOptions): MarketData & { upstreamRequests(): number } {
  const now = opts.now ?? (() => new Date());
  const { rest, count } = createPolygonWire(opts.apiKey, opts.apiRoot ?? DEFAULT_API_ROOT, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const retry = { policy: opts.retry ?? DEFAULT_RETRY, sleep: opts.sleep };
  // A sliding window (strict): never more than the cap in any minute, also across a window's edge, which is how
  // Polygon counts; fixed windows would allow twice the cap in a burst around a boundary.
  const limiter = opts.rateLimitPerMin
    ? new PQueue({ interval: RATE_WINDOW_MS, intervalCap: opts.rateLimitPerMin, strict: true })
    : undefined;
  const throttled = <T>(send: () => Promise<T>): Promise<T> => (limiter ? limiter.add(send) : send());
  /** Set once Polygon refuses last trades (a plan without them): later quotes go straight to the previous close. */
  let lastTradeRefused = false;

  /** One HTTP request, retried as withRetry decides, its failure mapped and its body checked against `schema`. */
  const request = <T>(what: string, symbol: string, schema: ZodType<T>, send: () => Promise<unknown>): Promise<T> =>
    withRetry(async () => {
      let body: unknown;
      try {
        body = await throttled(send);
      } catch (err) {
        throw toPolygonError(err, symbol, what, opts.apiKey);
      }
      return parseBody(schema, body, symbol, what);
    }, retry);

  const notFound = (what: string, symbol: string, detail: string) =>
    new MarketDataError('not_found', SOURCE, symbol, `polygon ${what} ${symbol}: ${detail}`);

  /** The last complete session's bar (stocks, or the index for `^X`). */
  async function previousBar(symbol: string): Promise<Bar> {
    const index = indexTicker(symbol);
    const body = await request('previous close', symbol, AggregatesBody, () =>
      index ? rest.getPreviousIndicesAggregates(index) : rest.getPreviousStocksAggregates(polygonTicker(symbol), true),
    );
    const bar = body.results?.[0];
    if (!bar) throw notFound('previous close', symbol, 'no previous session (unknown ticker?)');
    return toBar(bar);
  }

  /** Day bars of `symbol` (stocks, or the index for `^X`) from `from` to `to` (New York dates, inclusive), as sent. */
  async function dayBars(symbol: string, from: string, to: string): Promise<Bar[]> {
    const index = indexTicker(symbol);
    const body = await request(index ? 'indices' : 'daily bars', symbol, AggregatesBody, () =>
      index
        ? rest.getIndicesAggregates(index, 1, GetIndicesAggregatesTimespanEnum.Day, from, to, GetIndicesAggregatesSortEnum.Asc, MAX_AGGREGATES)
        : rest.getStocksAggregates(polygonTicker(symbol), 1, GetStocksAggregatesTimespanEnum.Day, from, to, true, GetStocksAggregatesSortEnum.Asc, MAX_AGGREGATES),
    );
    return (body.results ?? []).map(toBar);
  }

  /**
   * The last trade of a stock; undefined for an index (no trades) and once Polygon has refused last trades,
   * which is the plan's answer and will not change, so we stop asking.
   */
  async function lastTrade(symbol: string): Promise<{ price: number; time: Date } | undefined> {
    if (lastTradeRefused || indexTicker(symbol)) return undefined;
    try {
      const { results } = await request('last trades', symbol, LastTradeBody, () => rest.getLastStocksTrade(polygonTicker(symbol)));
      return { price: results.p, time: fromNanos(results.t) };
    } catch (err) {
      if (!(err instanceof PolygonRefusedError)) throw err;
      lastTradeRefused = true;
      return undefined;
    }
  }

  /**
   * The freshest underlying price when the chain snapshot has none. The previous close is the last resort:
   * on a breakout day it is far from spot, and the contract picker's deltas and intrinsic check read it.
   */
  async function freshestPrice(symbol: string): Promise<{ price: number; source: PriceSource }> {
    const trade = await lastTrade(symbol);
    if (trade) return { price: trade.price, source: 'last-trade' };
    const today = nyDate(now());
    let bars: Bar[] = [];
    try {
      bars = await dayBars(symbol, today, today);
    } catch (err) {
      // A plan without (today's) aggregates, or nothing for today: the previous close still answers.
      if (!(err instanceof PolygonRefusedError) && !(err instanceof MarketDataError && err.kind === 'not_found')) throw err;
    }
    // Dates are checked, not trusted: a lagging answer may hold the previous session's bar.
    const todayBar = bars.filter((b) => isoDay(b.time) === today).at(-1);
    if (todayBar) return { price: todayBar.close, source: 'last-trade' };
    return { price: (await previousBar(symbol)).close, source: 'previous-close' };
  }

  /** Listed expiry dates (YYYY-MM-DD) from `today` on, ascending. */
  async function listedExpiries(symbol: string, today: string): Promise<string[]> {
    const body = await request('options contracts', symbol, ContractsBody, () =>
      rest.listOptionsContracts(
        polygonTicker(symbol), undefined, undefined, undefined, undefined, undefined,
        false, // expired
        undefined, undefined, undefined, undefined,
        today, // expiration_date.gte
        undefined, undefined, undefined, undefined, undefined, undefined, undefined,
        ListOptionsContractsOrderEnum.Asc, CONTRACTS_PAGE_LIMIT, ListOptionsContractsSortEnum.ExpirationDate,
      ),
    );
    // The server filters by date already; filtering again keeps a lagging or replayed answer honest.
    return [...new Set((body.results ?? []).map((c) => c.expiration_date).filter((d) => d >= today))].sort();
  }

  /** Every contract snapshot of one expiry, following the snapshot's cursor for up to MAX_CHAIN_PAGES pages. */
  async function chainSnapshot(symbol: string, expiryDate: string): Promise<ChainContract[]> {
    const ticker = polygonTicker(symbol);
    const contracts: ChainContract[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_CHAIN_PAGES; page++) {
      const pageCursor = cursor;
      const body = await request('options snapshots', symbol, ChainBody, () =>
        pageCursor === undefined
          ? rest.getOptionsChain(
              ticker, undefined, expiryDate, undefined, undefined, undefined, undefined, undefined,
              undefined, undefined, undefined, undefined,
              GetOptionsChainOrderEnum.Asc, CHAIN_PAGE_LIMIT, GetOptionsChainSortEnum.StrikePrice,
            )
          : // The cursor encodes the original query, so it travels alone (plus the client's apiKey).
            rest.getOptionsChain(
              ticker, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
              undefined, undefined, undefined, undefined, undefined, undefined, undefined,
              { params: { cursor: pageCursor } },
            ),
      );
      contracts.push(...(body.results ?? []));
      cursor = cursorOf(body.next_url);
      if (cursor === undefined) break;
    }
    return contracts;
  }

  return {
    name: 'polygon',
    upstreamRequests: count,

    async dailyBars(symbol, lookbackDays) {
      const end = now();
      const days = Math.max(1, lookbackDays);
      const from = nyDate(new Date(end.getTime() - days * DAY_MS));
      const to = nyDate(end);
      const results = await dayBars(symbol, from, to);
      // Polygon answers an unknown ticker with 200 and no results, exactly as it answers a window without a
      // session; only a window long enough to hold one is evidence of an unknown ticker.
      if (results.length === 0 && days >= MIN_DAYS_FOR_NOT_FOUND) {
        throw notFound(indexTicker(symbol) ? 'indices' : 'daily bars', symbol, `no bars from ${from} to ${to} (unknown ticker?)`);
      }
      const byDay = new Map<number, Bar>();
      for (const bar of results) byDay.set(bar.time.getTime(), bar); // a repeated day (the live bar) keeps its latest row
      return [...byDay.values()].sort((a, b) => a.time.getTime() - b.time.getTime());
    },

    async quote(symbol): Promise<Quote> {
      const previous = await previousBar(symbol);
      const trade = await lastTrade(symbol);
      if (trade) return { symbol, price: trade.price, previousClose: previous.close, time: trade.time };
      // The previous close is the price; the close before it is unknown, so previousClose stays unset.
      const day = isoDay(previous.time);
      return { symbol, price: previous.close, time: sessionFor(day)?.close ?? previous.time };
    },

    async optionChain(symbol, expiry): Promise<OptionChain> {
      const today = nyDate(now());
      const listing = listedExpiries(symbol, today);
      // With an expiry given, the listing and the snapshot go out together: one round trip, not two.
      const wanted = expiry ? isoDay(expiry) : (await listing)[0];
      if (wanted === undefined) throw notFound('options contracts', symbol, 'no listed options');
      const [listed, snapshots] = await Promise.all([listing, chainSnapshot(symbol, wanted)]);
      if (listed.length === 0 && snapshots.length === 0) throw notFound('options contracts', symbol, 'no listed options');

      const underlying = snapshots.find((s) => Number.isFinite(s.underlying_asset?.price))?.underlying_asset;
      const spot =
        typeof underlying?.price === 'number' ? { price: underlying.price, source: 'quote' as const } : await freshestPrice(symbol);
      const contracts = snapshots
        .filter((s) => s.details.expiration_date === wanted) // a chain holds one expiry, whatever came back
        .map((s) => toContract(s, symbol))
        .filter((c): c is OptionContract => c !== null);
      const expiries = [...new Set([...listed, ...(contracts.length > 0 ? [wanted] : [])])].sort().map(dayOf);
      return {
        underlying: symbol,
        underlyingPrice: spot.price,
        underlyingPriceSource: spot.source,
        expiries,
        expiry: dayOf(wanted),
        calls: contracts.filter((c) => c.right === 'call'),
        puts: contracts.filter((c) => c.right === 'put'),
        modeled: false,
        asOf: typeof underlying?.last_updated === 'number' ? fromNanos(underlying.last_updated) : now(),
      };
    },
  };
}
