/**
 * How the Polygon provider fails: answers and faults from the local replay server mapped to MarketDataError
 * kinds, retried (or not) through withRetry, and never carrying the API key.
 */
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarketDataError } from '../../src/core/errors.ts';
import { createPolygonMarketData, type PolygonOptions } from '../../src/market/polygon.ts';
import type { RetryPolicy } from '../../src/core/retry.ts';
import { startPolygonServer, type PolygonServer } from '../support/polygon-server.ts';
import { rejectionOf } from '../support/rejection.ts';

const KEY = 'TESTKEY-polygon-0123456789';
const FAST: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 };
const AAPL_BARS = '/v2/aggs/ticker/AAPL/range/1/day/2005-04-01/2005-04-04';

let server: PolygonServer;
let delaysMs: number[];
/** Every MarketDataError the tests provoke; checked at the end of each test for a leaked key. */
let seenErrors: MarketDataError[];

function provider(opts: Partial<PolygonOptions> = {}) {
  return createPolygonMarketData({
    apiKey: KEY,
    apiRoot: server.url,
    retry: FAST,
    sleep: async (ms) => void delaysMs.push(ms),
    now: () => new Date('2005-04-04T20:00:00Z'),
    ...opts,
  });
}

async function failure(promise: Promise<unknown>): Promise<MarketDataError> {
  const err = await rejectionOf(promise, MarketDataError);
  seenErrors.push(err);
  return err;
}

const hits = (path: string) => server.requests.filter((r) => r.path === path).length;

beforeEach(async () => {
  server = await startPolygonServer();
  delaysMs = [];
  seenErrors = [];
});

afterEach(async () => {
  for (const e of seenErrors) {
    expect(e.source).toBe('polygon');
    // Not in the message, nor anywhere a logger printing the whole error (cause included) would reach.
    expect(inspect(e, { depth: null, showHidden: true })).not.toContain(KEY);
  }
  await server.close();
});

describe('createPolygonMarketData: not found', () => {
  it('should report an unknown ticker (404) as not_found after one request', async () => {
    const md = provider();
    const bars = await failure(md.dailyBars('NOPE', 30));
    expect(bars).toMatchObject({ kind: 'not_found', symbol: 'NOPE', retryable: false });
    expect(bars.options.status).toBe(404);
    expect(bars.message).toBe('polygon daily bars NOPE: HTTP 404 from /v2/aggs/ticker/NOPE/range/1/day/2005-03-05/2005-04-04: Data not found.');
    expect((await failure(md.quote('NOPE'))).kind).toBe('not_found');
    expect(server.requests).toHaveLength(2);
    expect(delaysMs).toEqual([]);
  });

  it('should report empty aggregates as not_found, unless the window may hold no session', async () => {
    const empty = { ticker: 'NOPE', queryCount: 0, resultsCount: 0, adjusted: true, status: 'OK', request_id: 'r' };
    server.answer('/v2/aggs/ticker/NOPE/range/1/day/2005-03-05/2005-04-04', empty);
    server.answer('/v2/aggs/ticker/NOPE/range/1/day/2005-04-01/2005-04-04', empty);
    const e = await failure(provider().dailyBars('NOPE', 30));
    expect(e.kind).toBe('not_found');
    expect(e.message).toContain('no bars from 2005-03-05 to 2005-04-04');
    await expect(provider().dailyBars('NOPE', 3)).resolves.toEqual([]);
  });

  it('should report an underlying without listed options as not_found', async () => {
    server.answer('/v3/reference/options/contracts', { status: 'OK', request_id: 'r', results: [] });
    server.answer('/v3/snapshot/options/NOPE', { status: 'OK', request_id: 'r', results: [] });
    const md = provider();
    expect((await failure(md.optionChain('NOPE'))).kind).toBe('not_found');
    expect(server.requests).toHaveLength(1);
    expect((await failure(md.optionChain('NOPE', new Date('2005-04-15T00:00:00Z')))).kind).toBe('not_found');
  });
});

describe('createPolygonMarketData: retries', () => {
  it('should retry a 429 once after its Retry-After seconds', async () => {
    server.faults.add({ status: 429, retryAfterSec: 7 }, { pathIncludes: AAPL_BARS });
    const md = provider();
    await expect(md.dailyBars('AAPL', 3)).resolves.toHaveLength(2);
    expect(delaysMs).toEqual([7_000]);
    expect(hits(AAPL_BARS)).toBe(2);
    expect(md.upstreamRequests()).toBe(2);
  });

  it('should give up as rate_limited when 429s without Retry-After outlast the retry budget', async () => {
    server.faults.add({ status: 429 }, { pathIncludes: AAPL_BARS, times: 5 });
    const e = await failure(provider().dailyBars('AAPL', 3));
    expect(e).toMatchObject({ kind: 'rate_limited', retryable: true });
    expect(e.options).toMatchObject({ status: 429 });
    expect(hits(AAPL_BARS)).toBe(FAST.maxAttempts);
    expect(delaysMs).toHaveLength(FAST.maxAttempts - 1);
    expect(delaysMs[0]).toBeLessThanOrEqual(100); // the backoff's first ceiling
    expect(delaysMs[1]).toBeLessThanOrEqual(200); // and its second
  });

  it('should report upstream after maxAttempts answers of 500', async () => {
    server.faults.add({ status: 500 }, { pathIncludes: '/v2/last/trade/AAPL', times: 10 });
    const md = provider();
    const e = await failure(md.quote('AAPL'));
    expect(e).toMatchObject({ kind: 'upstream', symbol: 'AAPL' });
    expect(e.options.status).toBe(500);
    expect(hits('/v2/last/trade/AAPL')).toBe(3);
    expect(hits('/v2/aggs/ticker/AAPL/prev')).toBe(1); // a retry repeats only the request that failed
    expect(delaysMs).toHaveLength(2);
  });

  it('should time out a request that never answers as upstream, then retry it', async () => {
    server.faults.add({ hang: true }, { pathIncludes: AAPL_BARS });
    const e = await failure(provider({ timeoutMs: 200, retry: { ...FAST, maxAttempts: 1 } }).dailyBars('AAPL', 3));
    expect(e.kind).toBe('upstream');
    expect(e.message).toContain('no answer from /v2/aggs/ticker/AAPL');
    server.faults.add({ hang: true }, { pathIncludes: AAPL_BARS });
    await expect(provider({ timeoutMs: 200 }).dailyBars('AAPL', 3)).resolves.toHaveLength(2);
    expect(hits(AAPL_BARS)).toBe(3);
  });

  it('should report a refused connection as upstream', async () => {
    const { url } = server;
    await server.close();
    const e = await failure(provider({ apiRoot: url, retry: { ...FAST, maxAttempts: 1 } }).dailyBars('AAPL', 3));
    expect(e.kind).toBe('upstream');
    expect(e.message).toMatch(/network error reaching .*ECONNREFUSED/);
    server = await startPolygonServer();
  });
});

describe('createPolygonMarketData: final failures', () => {
  it.each([
    ['daily bars', '/v2/aggs/ticker/AAPL/range', (md: ReturnType<typeof provider>) => md.dailyBars('AAPL', 3)],
    ['previous close', '/v2/aggs/ticker/AAPL/prev', (md: ReturnType<typeof provider>) => md.quote('AAPL')],
    ['last trades', '/v2/last/trade/AAPL', (md: ReturnType<typeof provider>) => md.quote('AAPL')],
    ['options contracts', '/v3/reference/options/contracts', (md: ReturnType<typeof provider>) => md.optionChain('AAPL')],
    ['options snapshots', '/v3/snapshot/options/AAPL', (md: ReturnType<typeof provider>) => md.optionChain('AAPL', new Date('2023-06-16T00:00:00Z'))],
  ])('should report a malformed %s answer as bad_data after exactly one request', async (what, path, call) => {
    server.faults.add({ malformed: true }, { pathIncludes: path, times: 5 });
    const e = await failure(call(provider()));
    expect(e).toMatchObject({ kind: 'bad_data', retryable: false });
    expect(e.message).toContain(`polygon ${what} AAPL: answer failed schema validation (results:`);
    expect(server.requests.filter((r) => r.path.startsWith(path))).toHaveLength(1);
    expect(delaysMs).toEqual([]);
  });

  it('should report a body that is not JSON as bad_data', async () => {
    server.faults.add({ status: 200, body: '<html>maintenance</html>' }, { pathIncludes: AAPL_BARS, times: 5 });
    const e = await failure(provider().dailyBars('AAPL', 3));
    expect(e.kind).toBe('bad_data');
    expect(hits(AAPL_BARS)).toBe(1);
  });

  it('should say the plan lacks indices when ^VIX is refused (403), without retrying', async () => {
    const notEntitled = { status: 'NOT_AUTHORIZED', request_id: 'r', message: 'You are not entitled to this data. Please upgrade your plan at https://polygon.io/pricing' };
    server.faults.add({ status: 403, body: notEntitled }, { pathIncludes: '/v2/aggs/ticker/I:VIX', times: 5 });
    const e = await failure(provider().dailyBars('^VIX', 30));
    expect(e).toMatchObject({ kind: 'upstream', retryable: false, symbol: '^VIX' });
    expect(e.options.status).toBe(403);
    expect(e.message).toBe(
      'polygon indices ^VIX: Polygon refused the request (403): the plan may not include indices. ' +
        `HTTP 403 from /v2/aggs/ticker/I:VIX/range/1/day/2005-03-05/2005-04-04: ${notEntitled.message}`,
    );
    expect(server.requests).toHaveLength(1);
    expect(delaysMs).toEqual([]);
  });

  it('should point at POLYGON_API_KEY when the key is refused (401), without retrying', async () => {
    server.faults.add({ status: 401, body: { status: 'ERROR', request_id: 'r', error: 'Unknown API Key' } }, { times: 5 });
    const e = await failure(provider().quote('AAPL'));
    expect(e).toMatchObject({ kind: 'upstream', retryable: false });
    expect(e.message).toContain('check POLYGON_API_KEY');
    expect(e.message).toContain('Unknown API Key');
    expect(server.requests).toHaveLength(1);
  });

  it('should keep the key out of the message even when the server echoes it', async () => {
    const echo = { status: 'ERROR', request_id: 'r', message: `bad request /v2/aggs?apiKey=${KEY} (key ${KEY})` };
    server.faults.add({ status: 500, body: echo }, { pathIncludes: AAPL_BARS, times: 5 });
    const e = await failure(provider().dailyBars('AAPL', 3));
    expect(e.message).toContain('apiKey=***');
    expect(e.message).not.toContain(KEY);
    expect(server.requests.every((r) => r.apiKey === KEY)).toBe(true); // while it did travel on every request
  });

  it('should redact an echoed key before cutting the text, so a key straddling the cut leaks no prefix', async () => {
    // Polygon's text is kept to 160 characters: the key starts at 150, across that cut.
    const echo = { status: 'ERROR', request_id: 'r', message: `${'x'.repeat(150)}${KEY} was not accepted` };
    server.faults.add({ status: 500, body: echo }, { pathIncludes: AAPL_BARS, times: 5 });
    const e = await failure(provider().dailyBars('AAPL', 3));
    expect(e.message).toContain(`${'x'.repeat(150)}*** was`);
    expect(e.message).not.toContain(KEY.slice(0, 4));
  });

  it('should redact a URL-encoded key', async () => {
    const key = 'KEY/with+special=chars';
    server.faults.add({ status: 500, body: `denied: apiKey%3D${encodeURIComponent(key)}` }, { pathIncludes: AAPL_BARS, times: 5 });
    const e = await failure(provider({ apiKey: key }).dailyBars('AAPL', 3));
    expect(e.message).toContain('denied: apiKey%3D***');
    expect(e.message).not.toContain(encodeURIComponent(key));
    expect(inspect(e, { depth: null, showHidden: true })).not.toContain('with%2Bspecial');
  });
});
