/**
 * The real yahoo-finance2 against the local replay server (test/support/yahoo-server.ts): what crossed
 * the wire, how answers map to our types, and how failures map to MarketDataError kinds and retries.
 */
import type { Bar } from '../../src/core/types.ts';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarketDataError } from '../../src/core/errors.ts';
import type { RetryPolicy } from '../../src/core/retry.ts';
import { createYahooMarketData, yahooSymbol, type YahooOptions } from '../../src/market/yahoo.ts';
import { startYahooServer, TEST_COOKIE, type YahooServer } from '../support/yahoo-server.ts';
import { rejectionOf } from '../support/rejection.ts';

/** The recorded response body of a fixture (raw Yahoo JSON, hence `any`), or its text. */
function fixture(path: string): any {
  const { response } = JSON.parse(readFileSync(new URL(`../fixtures/yahoo/${path}`, import.meta.url), 'utf8'));
  return response.bodyJson ?? response.bodyText;
}

const RECORDED_CRUMB: string = fixture('crumb/getCrumb-getcrumb.json');
const FAST: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 };

let server: YahooServer;
let delaysMs: number[];
/** Every MarketDataError the tests provoke; checked at the end of each test for leaked secrets. */
let seenErrors: MarketDataError[];

function provider(opts: YahooOptions = {}) {
  return createYahooMarketData({
    apiRoot: server.url,
    retry: FAST,
    sleep: async (ms) => void delaysMs.push(ms),
    now: () => new Date('2020-11-07T00:00:00Z'),
    ...opts,
  });
}

async function failure(promise: Promise<unknown>): Promise<MarketDataError> {
  const err = await rejectionOf(promise, MarketDataError);
  seenErrors.push(err);
  return err;
}

const hits = (fragment: string) => server.requests.filter((r) => r.path.includes(fragment)).length;

beforeEach(async () => {
  server = await startYahooServer();
  delaysMs = [];
  seenErrors = [];
});

afterEach(async () => {
  for (const e of seenErrors) {
    expect(e.source).toBe('yahoo');
    expect(e.message).not.toContain(RECORDED_CRUMB);
    expect(e.message).not.toContain(TEST_COOKIE.slice(3));
  }
  await server.close();
});

describe('createYahooMarketData: answers', () => {
  it('should parse AAPL daily bars at their New York trading dates', async () => {
    const raw = fixture('chart/chart-AAPL-2020-08-31-to-2020-11-07.json').chart.result[0];
    const q = raw.indicators.quote[0];
    const bars = await provider().dailyBars('AAPL', 70);
    expect(bars).toHaveLength(49);
    expect(bars[0]).toEqual({
      time: new Date('2020-08-31T00:00:00Z'),
      open: q.open[0],
      high: q.high[0],
      low: q.low[0],
      close: q.close[0],
      volume: q.volume[0],
    });
    expect(bars.at(-1)?.time).toEqual(new Date('2020-11-06T00:00:00Z'));
    expect(bars.at(-1)?.close).toBe(q.close[48]);
  });

  it('should ask for lookbackDays up to now and keep only bars in that window', async () => {
    const raw = fixture('chart/historical-via-chart-dividends-TSLA-no-dividends.json').chart.result[0];
    const nowMs = Date.parse('2023-08-11T20:00:00Z');
    const period1 = nowMs / 1000 - 30 * 86_400;
    const expected = (raw.timestamp as number[]).filter((t) => t >= period1 && t < nowMs / 1000).length;
    const bars = await provider({ now: () => new Date(nowMs) }).dailyBars('TSLA', 30);
    expect(bars).toHaveLength(expected);
    expect(bars.at(-1)).toMatchObject({ time: new Date('2023-08-11T00:00:00Z'), close: raw.indicators.quote[0].close.at(-1) });
    const chartPath = server.requests.find((r) => r.path.startsWith('/v8/finance/chart/TSLA'))!.path;
    const query = new URL(chartPath, 'http://x').searchParams;
    expect(query.get('interval')).toBe('1d');
    expect(Number(query.get('period2'))).toBe(nowMs / 1000);
    expect(Number(query.get('period1'))).toBe(period1);
  });

  it('should parse the whole recorded TSLA history', async () => {
    const bars = await provider({ now: () => new Date('2023-08-12T00:00:00Z') }).dailyBars('TSLA', 20_000);
    expect(bars).toHaveLength(3303);
    expect(bars[0]?.time).toEqual(new Date('2010-06-29T00:00:00Z'));
    expect(bars.every((b, i) => i === 0 || b.time > bars[i - 1]!.time)).toBe(true);
  });

  it('should return the AAPL quote after the cookie and crumb requests, all on 127.0.0.1', async () => {
    const md = provider();
    await expect(md.quote('AAPL')).resolves.toEqual({
      symbol: 'AAPL',
      price: 244.6,
      previousClose: 241.53,
      time: new Date(1739566800 * 1000),
    });
    expect(server.requests.map((r) => [r.host, r.path.split('?')[0]])).toEqual([
      ['finance.yahoo.com', '/quote/AAPL'],
      ['query1.finance.yahoo.com', '/v1/test/getcrumb'],
      ['query2.finance.yahoo.com', '/v7/finance/quote'],
    ]);
    expect(server.requests[2]?.path).toContain(`crumb=${RECORDED_CRUMB}`);
    // Every request the provider made reached the local server: none went anywhere else.
    expect(md.upstreamRequests()).toBe(server.requests.length);
  });

  it('should map the AAPL option chain', async () => {
    const raw = fixture('options/options-AAPL.json').optionChain.result[0];
    const chain = await provider().optionChain('AAPL');
    expect(chain).toMatchObject({ underlying: 'AAPL', underlyingPrice: 245.55, modeled: false });
    expect(chain.calls).toHaveLength(54);
    expect(chain.puts).toHaveLength(48);
    expect(chain.expiry).toEqual(new Date('2025-02-28T00:00:00Z'));
    expect(chain.expiries).toHaveLength(20);
    expect(chain.asOf).toEqual(new Date(raw.quote.regularMarketTime * 1000));
    expect(chain.calls[0]).toEqual({
      symbol: 'AAPL250228C00110000',
      underlying: 'AAPL',
      right: 'call',
      strike: 110,
      expiry: new Date('2025-02-28T00:00:00Z'),
      bid: 135.9,
      ask: 136.65,
      last: 111.67,
      volume: 0,
      openInterest: 0,
      impliedVol: 3.58593853515625,
      modeled: false,
    });
    const noVolume = [...raw.options[0].calls, ...raw.options[0].puts].filter((c: any) => c.volume === undefined);
    expect(noVolume.length).toBeGreaterThan(0);
    for (const c of noVolume) expect([...chain.calls, ...chain.puts].find((k) => k.symbol === c.contractSymbol)?.volume).toBe(0);
  });

  it('should read a missing bid, ask or implied vol as 0, 0 and NaN', async () => {
    const body = fixture('options/options-AAPL.json');
    const put = body.optionChain.result[0].options[0].puts[0];
    delete put.bid;
    delete put.ask;
    delete put.impliedVolatility;
    server.faults.add({ status: 200, body }, { pathIncludes: '/v7/finance/options/AAPL' });
    const chain = await provider().optionChain('AAPL');
    expect(chain.puts[0]).toMatchObject({ symbol: put.contractSymbol, bid: 0, ask: 0, impliedVol: Number.NaN });
  });

  it('should request a given expiry by its date and return its (here empty) chain', async () => {
    const chain = await provider().optionChain('AAPL', new Date('2022-03-01T00:00:00Z'));
    expect(hits('/v7/finance/options/AAPL?formatted=false&lang=en-US&region=US&date=1646092800')).toBe(1);
    expect(chain.expiry).toEqual(new Date('2022-03-01T00:00:00Z'));
    expect(chain.calls).toEqual([]);
    expect(chain.puts).toEqual([]);
  });
});

describe('createYahooMarketData: synthetic symbols (benchmark)', () => {
  const bars: Bar[] = Array.from({ length: 30 }, (_, i) => {
    const time = new Date(Date.UTC(2020, 0, 6 + i + 2 * Math.floor(i / 5))); // weekdays from Mon 2020-01-06
    return { time, open: 50 + i, high: 51 + i, low: 49 + i, close: 50.5 + i, volume: 1_000 + i };
  });

  it('should serve synthetic bars, quote and a re-labelled chain', async () => {
    await server.close();
    server = await startYahooServer({ syntheticBars: new Map([['SYN', bars]]) });
    const last = bars.at(-1)!;
    const md = provider({ now: () => new Date(last.time.getTime() + 86_400_000) });
    await expect(md.dailyBars('SYN', 60)).resolves.toEqual(bars);
    await expect(md.dailyBars('SYN', 7)).resolves.toEqual(bars.slice(-5));
    await expect(md.quote('SYN')).resolves.toMatchObject({ symbol: 'SYN', price: last.close, previousClose: bars.at(-2)!.close });
    const chain = await md.optionChain('SYN');
    expect(chain.underlying).toBe('SYN');
    expect(chain.underlyingPrice).toBe(last.close);
    expect(chain.calls.length).toBeGreaterThan(10);
    expect(chain.calls.every((c) => c.symbol.startsWith('SYN') && c.expiry.getTime() === chain.expiry.getTime())).toBe(true);
    const daysOut = (chain.expiry.getTime() - last.time.getTime()) / 86_400_000;
    expect(daysOut).toBeGreaterThan(0);
    expect(daysOut).toBeLessThan(14);
    const strikes = chain.calls.map((c) => c.strike);
    expect(Math.min(...strikes)).toBeLessThan(last.close);
    expect(Math.max(...strikes)).toBeGreaterThan(last.close);
    const second = await md.optionChain('SYN', chain.expiries[1]);
    expect(second.expiry).toEqual(chain.expiries[1]);
    expect(second.calls[0]?.expiry).toEqual(chain.expiries[1]);
  });

  it.each(['BRK.B', 'BRK-B'])('should ask Yahoo for BRK-B when asked for %s, and answer under the name asked for', async (symbol) => {
    // The server knows only Yahoo's spelling: BRK.B on the wire would be a 404 or an empty result.
    await server.close();
    server = await startYahooServer({ syntheticBars: new Map([['BRK-B', bars]]) });
    const last = bars.at(-1)!;
    const md = provider({ now: () => new Date(last.time.getTime() + 86_400_000) });
    await expect(md.dailyBars(symbol, 60)).resolves.toEqual(bars);
    await expect(md.quote(symbol)).resolves.toMatchObject({ symbol, price: last.close });
    const chain = await md.optionChain(symbol);
    expect(chain).toMatchObject({ underlying: symbol, underlyingPrice: last.close });
    expect(chain.calls.length).toBeGreaterThan(10);
    expect([...chain.calls, ...chain.puts].every((c) => c.underlying === symbol)).toBe(true);
    expect(hits('/v8/finance/chart/BRK-B?')).toBe(1);
    expect(hits('/v7/finance/quote?symbols=BRK-B&')).toBe(1);
    expect(hits('/v7/finance/options/BRK-B?')).toBe(1);
    expect(hits('BRK.B')).toBe(0);
  });
});

describe('yahooSymbol', () => {
  it.each([
    ['BRK.B', 'BRK-B'],
    ['BF.B', 'BF-B'],
    ['MOG.A', 'MOG-A'],
    ['GOOGL.C', 'GOOGL-C'],
    ['BRK-B', 'BRK-B'], // already Yahoo's spelling
    ['AAPL', 'AAPL'],
    ['OCDO.L', 'OCDO.L'], // exchange suffixes keep their dot
    ['AZT.OL', 'AZT.OL'],
    ['WSU.DE', 'WSU.DE'],
    ['0P000071W8.TO', '0P000071W8.TO'],
    ['BRK.D', 'BRK.D'], // only classes A, B and C
    ['ABCDEF.B', 'ABCDEF.B'], // root longer than 5 letters
    ['BTC-USD', 'BTC-USD'],
    ['^VIX', '^VIX'],
  ])('should send %s as %s', (symbol, sent) => {
    expect(yahooSymbol(symbol)).toBe(sent);
  });

  it.each([
    ['OCDO.L', 1259.5],
    ['AZT.OL', 4.989999771118164],
  ])('should still read the recorded %s chart under its dotted exchange symbol', async (symbol, close) => {
    const bars = await provider({ now: () => new Date('2020-01-03T00:00:00Z') }).dailyBars(symbol, 5);
    expect(bars).toMatchObject([{ time: new Date('2020-01-02T00:00:00Z'), close }]);
    expect(hits(`/v8/finance/chart/${symbol}?`)).toBe(1);
  });
});

describe('createYahooMarketData: failures', () => {
  it('should report an unknown ticker as not_found on every endpoint, without retrying', async () => {
    const md = provider();
    for (const [call, path] of [
      [() => md.dailyBars('NOPE', 30), '/v8/finance/chart/NOPE'],
      [() => md.quote('NOPE'), '/v7/finance/quote?symbols=NOPE'],
      [() => md.optionChain('NOPE'), '/v7/finance/options/NOPE'],
    ] as const) {
      const e = await failure(call());
      expect(e.kind).toBe('not_found');
      expect(e.symbol).toBe('NOPE');
      expect(hits(path)).toBe(1);
    }
    expect(delaysMs).toEqual([]);
  });

  it('should retry a 429 once after its Retry-After seconds', async () => {
    server.faults.add({ status: 429, retryAfterSec: 7 }, { pathIncludes: '/v8/finance/chart/AAPL' });
    const bars = await provider().dailyBars('AAPL', 70);
    expect(bars).toHaveLength(49);
    expect(delaysMs).toEqual([7_000]);
    expect(hits('/v8/finance/chart/AAPL')).toBe(2);
  });

  it('should read a Retry-After HTTP date against the server clock', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    server.faults.add({ status: 429, retryAfterHttpDate: at }, { pathIncludes: '/v7/finance/quote' });
    await provider().quote('AAPL');
    expect(delaysMs).toHaveLength(1);
    expect(delaysMs[0]).toBeGreaterThanOrEqual(28_000);
    expect(delaysMs[0]).toBeLessThanOrEqual(31_000);
  });

  it('should give up as rate_limited when 429s outlast the retry budget', async () => {
    server.faults.add({ status: 429 }, { pathIncludes: '/v7/finance/options/AAPL', times: 5 });
    const e = await failure(provider().optionChain('AAPL'));
    expect(e).toMatchObject({ kind: 'rate_limited', retryable: true });
    expect(e.options.status).toBe(429);
    expect(e.message).toContain('Too Many Requests');
    expect(hits('/v7/finance/options/AAPL')).toBe(FAST.maxAttempts);
    expect(delaysMs).toHaveLength(FAST.maxAttempts - 1);
  });

  it('should report upstream after maxAttempts answers of 500', async () => {
    server.faults.add({ status: 500 }, { pathIncludes: '/v8/finance/chart/AAPL', times: 10 });
    const e = await failure(provider().dailyBars('AAPL', 70));
    expect(e).toMatchObject({ kind: 'upstream', symbol: 'AAPL' });
    expect(e.options.status).toBe(500);
    expect(hits('/v8/finance/chart/AAPL')).toBe(3);
    expect(delaysMs).toHaveLength(2);
    expect(delaysMs.every((ms) => ms >= 0 && ms <= 200)).toBe(true);
  });

  it('should time out a request that never answers as upstream, then retry it', async () => {
    server.faults.add({ hang: true }, { pathIncludes: '/v8/finance/chart/AAPL' });
    const md = provider({ timeoutMs: 200, retry: { ...FAST, maxAttempts: 1 } });
    const e = await failure(md.dailyBars('AAPL', 70));
    expect(e.kind).toBe('upstream');
    expect(e.message).toContain('within 200 ms');
    server.faults.add({ hang: true }, { pathIncludes: '/v8/finance/chart/AAPL' });
    await expect(provider({ timeoutMs: 200 }).dailyBars('AAPL', 70)).resolves.toHaveLength(49);
    expect(hits('/v8/finance/chart/AAPL')).toBe(3);
  });

  it.each([
    ['chart', '/v8/finance/chart/AAPL', (md: ReturnType<typeof provider>) => md.dailyBars('AAPL', 70)],
    ['quote', '/v7/finance/quote', (md: ReturnType<typeof provider>) => md.quote('AAPL')],
    ['options', '/v7/finance/options/AAPL', (md: ReturnType<typeof provider>) => md.optionChain('AAPL')],
  ])('should report a %s answer that fails validation as bad_data after exactly one request', async (_name, path, call) => {
    server.faults.add({ malformed: true }, { pathIncludes: path, times: 5 });
    const e = await failure(call(provider()));
    expect(e).toMatchObject({ kind: 'bad_data', retryable: false });
    expect(e.message).toContain('schema validation');
    expect(hits(path)).toBe(1);
    expect(delaysMs).toEqual([]);
  });

  it('should fetch a fresh crumb after Yahoo rejects one as invalid', async () => {
    const invalidCrumb = { finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } };
    server.faults.add({ status: 401, body: invalidCrumb }, { pathIncludes: '/v7/finance/quote' });
    await expect(provider().quote('AAPL')).resolves.toMatchObject({ price: 244.6 });
    expect(hits('/v1/test/getcrumb')).toBe(2);
    expect(hits('/v7/finance/quote')).toBe(2);
  });

  it('should treat a failing crumb request as upstream and keep the crumb out of messages', async () => {
    server.faults.add({ status: 503, body: `crumb=${RECORDED_CRUMB} rejected` }, { pathIncludes: '/v1/test/getcrumb', times: 5 });
    const e = await failure(provider().quote('AAPL'));
    expect(e.kind).toBe('upstream');
    expect(e.message).toContain('crumb=***');
    expect(hits('/v1/test/getcrumb')).toBe(3);
  });

  it('should redact the crumb before cutting an error text, so a crumb straddling the cut leaks no prefix', async () => {
    // The text of an error answer is kept to 120 characters: the crumb starts at 115, across that cut.
    server.faults.add({ status: 500, body: `${'x'.repeat(115)}${RECORDED_CRUMB} expired` }, { pathIncludes: '/v7/finance/quote', times: 5 });
    const e = await failure(provider().quote('AAPL'));
    expect(e.kind).toBe('upstream');
    expect(e.message).toContain(`${'x'.repeat(115)}***`);
    expect(e.message).not.toContain(RECORDED_CRUMB.slice(0, 5));
  });

  it('should report a refused connection as upstream', async () => {
    const { url } = server;
    await server.close();
    const e = await failure(provider({ apiRoot: url }).dailyBars('AAPL', 70));
    expect(e.kind).toBe('upstream');
    expect(e.message).toMatch(/network error/);
    server = await startYahooServer();
  });
});
