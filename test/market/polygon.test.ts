/**
 * The real @polygon.io/client-js against the local replay server (test/support/polygon-server.ts): what
 * crossed the wire and how recorded answers map to our types. Failures: polygon-errors.test.ts.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPolygonMarketData, polygonTicker, type PolygonOptions } from '../../src/market/polygon.ts';
import type { RetryPolicy } from '../../src/core/retry.ts';
import { startPolygonServer, type PolygonServer } from '../support/polygon-server.ts';

/** A recorded body (raw Polygon JSON, hence `any`), parsed fresh on every call so tests may edit it. */
function fixture(path: string): any {
  return JSON.parse(readFileSync(new URL(`../fixtures/polygon/${path}`, import.meta.url), 'utf8'));
}

const KEY = 'TESTKEY-polygon-0123456789';
const FAST: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 };
const SNAPSHOT = 'client-python-mocks/v3/snapshot/options/AAPL.json';
const NOT_ENTITLED = { status: 'NOT_AUTHORIZED', request_id: 'r1', message: 'You are not entitled to this data.' };

let server: PolygonServer;
let delaysMs: number[];

function provider(opts: Partial<PolygonOptions> = {}) {
  return createPolygonMarketData({
    apiKey: KEY,
    apiRoot: server.url,
    retry: FAST,
    sleep: async (ms) => void delaysMs.push(ms),
    now: () => new Date('2022-04-29T15:00:00Z'),
    ...opts,
  });
}

const paths = () => server.requests.map((r) => r.path);

/** The recorded AAPL call, as the chain should return it. */
const RECORDED_CALL = {
  symbol: 'AAPL230616C00150000',
  underlying: 'AAPL',
  right: 'call',
  strike: 150,
  expiry: new Date('2023-06-16T00:00:00Z'),
  bid: 28.9,
  ask: 29.25,
  last: 29.25,
  volume: 8,
  openInterest: 8133,
  impliedVol: 0.3570277203465058,
  modeled: false,
};

beforeEach(async () => {
  server = await startPolygonServer();
  delaysMs = [];
});

afterEach(async () => {
  // Every request carried the key, and nothing was retried in these happy paths.
  expect(server.requests.every((r) => r.apiKey === KEY)).toBe(true);
  expect(delaysMs).toEqual([]);
  await server.close();
});

describe('createPolygonMarketData: daily bars', () => {
  it('should map AAPL day aggregates to their New York trading dates, across a DST change', async () => {
    const md = provider({ now: () => new Date('2005-04-04T20:00:00Z') });
    await expect(md.dailyBars('AAPL', 3)).resolves.toEqual([
      { time: new Date('2005-04-01T00:00:00Z'), open: 1.5032, high: 1.5064, low: 1.4489, close: 1.4604, volume: 642646396 },
      { time: new Date('2005-04-04T00:00:00Z'), open: 1.4639, high: 1.4754, low: 1.4343, close: 1.4675, volume: 578172308 },
    ]);
    expect(server.requests).toEqual([
      {
        method: 'GET',
        path: '/v2/aggs/ticker/AAPL/range/1/day/2005-04-01/2005-04-04',
        query: { adjusted: 'true', sort: 'asc', limit: '50000' },
        apiKey: KEY,
      },
    ]);
    expect(md.upstreamRequests()).toBe(1);
  });

  it('should read ^VIX from the index I:VIX, with volume 0', async () => {
    const { example } = fixture('openapi-examples/GetIndicesAggregates.json');
    server.answer('/v2/aggs/ticker/I:VIX/range/1/day/2023-02-08/2023-03-10', example);
    const bars = await provider({ now: () => new Date('2023-03-10T21:00:00Z') }).dailyBars('^VIX', 30);
    expect(bars.map((b) => b.time)).toEqual([new Date('2023-03-09T00:00:00Z'), new Date('2023-03-10T00:00:00Z')]);
    expect(bars[0]).toEqual({ time: bars[0]!.time, open: example.results[0].o, high: example.results[0].h, low: example.results[0].l, close: example.results[0].c, volume: 0 });
    expect(server.requests[0]?.query).toEqual({ sort: 'asc', limit: '50000' });
  });
});

describe('createPolygonMarketData: quotes', () => {
  it('should quote the last trade with the previous close', async () => {
    const md = provider();
    await expect(md.quote('AAPL')).resolves.toEqual({
      symbol: 'AAPL',
      price: 166.25,
      previousClose: 156.8,
      time: new Date('2022-04-28T20:55:19.310Z'),
    });
    expect(paths()).toEqual(['/v2/aggs/ticker/AAPL/prev', '/v2/last/trade/AAPL']);
    expect(server.requests[0]?.query).toEqual({ adjusted: 'true' });
    expect(md.upstreamRequests()).toBe(2);
  });

  it('should fall back to the previous close when the plan refuses last trades, and stop asking for them', async () => {
    server.faults.add({ status: 403, body: NOT_ENTITLED }, { pathIncludes: '/v2/last/trade/', times: 5 });
    const md = provider();
    // The previous session (2022-04-26) closed at 16:00 New York time.
    const expected = { symbol: 'AAPL', price: 156.8, time: new Date('2022-04-26T20:00:00Z') };
    await expect(md.quote('AAPL')).resolves.toEqual(expected);
    await expect(md.quote('AAPL')).resolves.toEqual(expected);
    expect(paths()).toEqual(['/v2/aggs/ticker/AAPL/prev', '/v2/last/trade/AAPL', '/v2/aggs/ticker/AAPL/prev']);
  });

  it('should quote ^VIX at the previous close of I:VIX, with no last-trade request', async () => {
    const { example } = fixture('openapi-examples/GetIndicesAggregates.json');
    server.answer('/v2/aggs/ticker/I:VIX/prev', { ...example, results: example.results.slice(-1) });
    await expect(provider().quote('^VIX')).resolves.toEqual({
      symbol: '^VIX',
      price: example.results[1].c,
      time: new Date('2023-03-10T21:00:00Z'), // 16:00 New York, still standard time
    });
    expect(paths()).toEqual(['/v2/aggs/ticker/I:VIX/prev']);
  });
});

describe('createPolygonMarketData: option chains', () => {
  it('should map the recorded AAPL snapshot for a given expiry, listing expiries without following next_url', async () => {
    const md = provider();
    const chain = await md.optionChain('AAPL', new Date('2023-06-16T00:00:00Z'));
    expect(chain).toEqual({
      underlying: 'AAPL',
      underlyingPrice: 159.9606,
      underlyingPriceSource: 'quote',
      // 2022-05-20 comes from the recorded contracts page (of `A`: the replay ignores the underlying).
      expiries: [new Date('2022-05-20T00:00:00Z'), new Date('2023-06-16T00:00:00Z')],
      expiry: new Date('2023-06-16T00:00:00Z'),
      calls: [RECORDED_CALL],
      puts: [],
      modeled: false,
      asOf: new Date('2022-04-29T17:44:23.172Z'),
    });
    const byPath = Object.fromEntries(server.requests.map((r) => [r.path, r.query]));
    expect(byPath).toEqual({
      '/v3/reference/options/contracts': {
        underlying_ticker: 'AAPL',
        expired: 'false',
        'expiration_date.gte': '2022-04-29',
        order: 'asc',
        limit: '1000',
        sort: 'expiration_date',
      },
      '/v3/snapshot/options/AAPL': { expiration_date: '2023-06-16', order: 'asc', limit: '250', sort: 'strike_price' },
    });
    // The contracts page has a next_url (to api.massive.com): nothing followed it, here or elsewhere.
    expect(md.upstreamRequests()).toBe(2);
  });

  it('should pick the nearest listed expiry from today on when none is given', async () => {
    const listed = ['2023-06-02', '2023-06-16', '2023-06-16', '2023-06-23'].map((expiration_date) => ({ expiration_date, underlying_ticker: 'AAPL' }));
    server.answer('/v3/reference/options/contracts', { status: 'OK', request_id: 'r', results: listed });
    const chain = await provider({ now: () => new Date('2023-06-09T15:00:00Z') }).optionChain('AAPL');
    expect(chain.expiries).toEqual([new Date('2023-06-16T00:00:00Z'), new Date('2023-06-23T00:00:00Z')]);
    expect(chain.expiry).toEqual(new Date('2023-06-16T00:00:00Z'));
    expect(chain.calls).toEqual([RECORDED_CALL]);
    expect(paths()).toEqual(['/v3/reference/options/contracts', '/v3/snapshot/options/AAPL']);
    expect(server.requests[1]?.query.expiration_date).toBe('2023-06-16');
  });

  it('should read missing bid, ask, volume and open interest as 0, a missing IV as NaN, and last from the day close', async () => {
    const body = fixture(SNAPSHOT);
    const snap = body.results[0];
    delete snap.last_quote;
    delete snap.last_trade;
    delete snap.implied_volatility;
    delete snap.open_interest;
    delete snap.day.volume;
    server.answer('/v3/snapshot/options/AAPL', body);
    const chain = await provider().optionChain('AAPL', new Date('2023-06-16T00:00:00Z'));
    expect(chain.calls[0]).toEqual({ ...RECORDED_CALL, bid: 0, ask: 0, last: 29, volume: 0, openInterest: 0, impliedVol: Number.NaN });
  });

  describe('when the snapshot has no underlying price', () => {
    const EXPIRY = new Date('2023-06-16T00:00:00Z');
    /** The day aggregate of 2022-04-29, the test's today: `t` is 00:00 New York time (EDT). */
    const TODAY_BARS = '/v2/aggs/ticker/AAPL/range/1/day/2022-04-29/2022-04-29';
    const todayBar = { o: 157, h: 171, l: 156.5, c: 170.4, v: 1_000_000, t: Date.parse('2022-04-29T04:00:00Z') };
    const noBars = { ticker: 'AAPL', queryCount: 0, resultsCount: 0, adjusted: true, status: 'OK', request_id: 'r' };

    beforeEach(() => {
      const body = fixture(SNAPSHOT);
      delete body.results[0].underlying_asset;
      server.answer('/v3/snapshot/options/AAPL', body);
    });

    it('should take the last trade where the plan allows it', async () => {
      const now = new Date('2022-04-29T15:00:00Z');
      const chain = await provider({ now: () => now }).optionChain('AAPL', EXPIRY);
      expect(chain).toMatchObject({ underlyingPrice: 166.25, underlyingPriceSource: 'last-trade', asOf: now });
      expect(paths()).toContain('/v2/last/trade/AAPL');
      expect(paths()).not.toContain('/v2/aggs/ticker/AAPL/prev');
    });

    it("should take the close of today's (partial) day bar when last trades are refused", async () => {
      server.faults.add({ status: 403, body: NOT_ENTITLED }, { pathIncludes: '/v2/last/trade/', times: 5 });
      server.answer(TODAY_BARS, { ...noBars, resultsCount: 1, results: [todayBar] });
      const chain = await provider().optionChain('AAPL', EXPIRY);
      expect(chain).toMatchObject({ underlyingPrice: 170.4, underlyingPriceSource: 'last-trade' });
      expect(server.requests.find((r) => r.path === TODAY_BARS)?.query).toEqual({ adjusted: 'true', sort: 'asc', limit: '50000' });
      expect(paths()).not.toContain('/v2/aggs/ticker/AAPL/prev');
    });

    it('should fall back to the previous close, marked so, when today has no bar yet (or only a lagging one)', async () => {
      server.faults.add({ status: 403, body: NOT_ENTITLED }, { pathIncludes: '/v2/last/trade/', times: 5 });
      server.answer(TODAY_BARS, noBars);
      const md = provider();
      const first = await md.optionChain('AAPL', EXPIRY);
      expect(first).toMatchObject({ underlyingPrice: 156.8, underlyingPriceSource: 'previous-close' });
      // A bar of another day is not today's, whatever the window asked for.
      server.answer(TODAY_BARS, { ...noBars, resultsCount: 1, results: [{ ...todayBar, t: Date.parse('2022-04-28T04:00:00Z') }] });
      await expect(md.optionChain('AAPL', EXPIRY)).resolves.toMatchObject({ underlyingPrice: 156.8, underlyingPriceSource: 'previous-close' });
      // The refusal is remembered: the second chain did not ask for a last trade again.
      expect(paths().filter((p) => p === '/v2/last/trade/AAPL')).toHaveLength(1);
      expect(paths().filter((p) => p === '/v2/aggs/ticker/AAPL/prev')).toHaveLength(2);
    });

    it('should fall back to the previous close when the day aggregate is not found', async () => {
      server.faults.add({ status: 403, body: NOT_ENTITLED }, { pathIncludes: '/v2/last/trade/', times: 5 });
      const chain = await provider().optionChain('AAPL', EXPIRY); // the replay server answers TODAY_BARS with 404
      expect(chain).toMatchObject({ underlyingPrice: 156.8, underlyingPriceSource: 'previous-close' });
    });
  });

  it('should follow the snapshot cursor against apiRoot, never the absolute next_url host', async () => {
    const page1 = fixture(SNAPSHOT);
    page1.next_url = 'https://api.polygon.io/v3/snapshot/options/AAPL?cursor=PAGE2';
    const page2 = fixture(SNAPSHOT);
    Object.assign(page2.results[0].details, { contract_type: 'put', ticker: 'O:AAPL230616P00150000' });
    server.answer('/v3/snapshot/options/AAPL', page1, { expiration_date: '2023-06-16' });
    server.answer('/v3/snapshot/options/AAPL', page2, { cursor: 'PAGE2' });
    const md = provider();
    const chain = await md.optionChain('AAPL', new Date('2023-06-16T00:00:00Z'));
    expect(chain.calls).toEqual([RECORDED_CALL]);
    expect(chain.puts).toEqual([{ ...RECORDED_CALL, symbol: 'AAPL230616P00150000', right: 'put' }]);
    const snapshots = server.requests.filter((r) => r.path === '/v3/snapshot/options/AAPL');
    expect(snapshots.map((r) => r.query)).toEqual([
      { expiration_date: '2023-06-16', order: 'asc', limit: '250', sort: 'strike_price' },
      { cursor: 'PAGE2' },
    ]);
    expect(md.upstreamRequests()).toBe(server.requests.length);
  });

  it('should stop following the cursor after 4 pages', async () => {
    const endless = fixture(SNAPSHOT);
    endless.next_url = 'https://api.polygon.io/v3/snapshot/options/AAPL?cursor=AGAIN';
    server.answer('/v3/snapshot/options/AAPL', endless);
    const chain = await provider().optionChain('AAPL', new Date('2023-06-16T00:00:00Z'));
    expect(chain.calls).toHaveLength(4);
    expect(paths().filter((p) => p === '/v3/snapshot/options/AAPL')).toHaveLength(4);
  });
});

describe('polygonTicker', () => {
  it.each([
    ['BRK-B', 'BRK.B'],
    ['BF-B', 'BF.B'],
    ['MOG-A', 'MOG.A'],
    ['GOOGL-C', 'GOOGL.C'],
    ['BRK.B', 'BRK.B'], // already Polygon's spelling
    ['AAPL', 'AAPL'],
    ['BTC-USD', 'BTC-USD'], // not a class letter
    ['BRK-D', 'BRK-D'], // only classes A, B and C
    ['ABCDEF-B', 'ABCDEF-B'], // root longer than 5 letters
    ['BRK-BB', 'BRK-BB'],
    ['^VIX', '^VIX'], // indices are indexTicker's business
  ])('should send %s as %s', (symbol, ticker) => {
    expect(polygonTicker(symbol)).toBe(ticker);
  });
});

describe('createPolygonMarketData: share classes', () => {
  beforeEach(() => {
    server.answer('/v2/aggs/ticker/BRK.B/prev', fixture('client-python-mocks/v2/aggs/ticker/AAPL/prev.json'));
    server.answer('/v2/last/trade/BRK.B', fixture('client-python-mocks/v2/last/trade/AAPL.json'));
    server.answer('/v2/aggs/ticker/BRK.B/range/1/day/2022-04-26/2022-04-29', fixture('client-python-mocks/v2/aggs/ticker/AAPL/range/1/day/2005-04-01/2005-04-04.json'));
    server.answer('/v3/snapshot/options/BRK.B', fixture(SNAPSHOT));
  });

  it.each(['BRK-B', 'BRK.B'])('should ask Polygon for BRK.B when asked for %s, and answer under the name asked for', async (symbol) => {
    const md = provider();
    await expect(md.quote(symbol)).resolves.toMatchObject({ symbol, price: 166.25, previousClose: 156.8 });
    await expect(md.dailyBars(symbol, 3)).resolves.toHaveLength(2);
    const chain = await md.optionChain(symbol, new Date('2023-06-16T00:00:00Z'));
    expect(chain).toMatchObject({ underlying: symbol, underlyingPrice: 159.9606, underlyingPriceSource: 'quote' });
    expect(chain.calls).toEqual([{ ...RECORDED_CALL, underlying: symbol }]);
    // Sorted: the chain's two requests go out together and may arrive in either order.
    expect(paths().sort()).toEqual([
      '/v2/aggs/ticker/BRK.B/prev',
      '/v2/aggs/ticker/BRK.B/range/1/day/2022-04-26/2022-04-29',
      '/v2/last/trade/BRK.B',
      '/v3/reference/options/contracts',
      '/v3/snapshot/options/BRK.B',
    ]);
    expect(server.requests.find((r) => r.path === '/v3/reference/options/contracts')?.query.underlying_ticker).toBe('BRK.B');
  });
});
