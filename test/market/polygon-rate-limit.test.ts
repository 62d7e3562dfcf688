/**
 * POLYGON_RATE_LIMIT: the provider never starts more than `rateLimitPerMin` requests in any 60 s, retries
 * included; the rest wait their turn. Fake Date and timers drive the window; the requests are real, against
 * the local replay server.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPolygonMarketData } from '../../src/market/polygon.ts';
import { startPolygonServer, type PolygonServer } from '../support/polygon-server.ts';

const KEY = 'TESTKEY-polygon-0123456789';
const START = new Date('2005-04-04T20:00:00Z');

let server: PolygonServer;

beforeEach(async () => {
  server = await startPolygonServer();
  vi.useFakeTimers({ now: START, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
});

afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

/** Let real I/O (the local server's answers) progress while fake time stands still. */
const settle = async (promises: Promise<unknown>[]) => Promise.allSettled(promises);

/** Turn the real event loop (setImmediate is not faked) until `done()`; fails after many turns. */
async function realIoUntil(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 10_000 && !done(); turn++) await new Promise((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}

describe('createPolygonMarketData: client-side rate limit', () => {
  it('GIVEN 2 a minute THEN the third and fourth requests wait until a minute after the first ones started', async () => {
    const md = createPolygonMarketData({ apiKey: KEY, apiRoot: server.url, rateLimitPerMin: 2, now: () => new Date() });
    const calls = ['AAPL', 'MSFT', 'TSLA', 'SPY'].map((s) => md.dailyBars(s, 3).catch(() => undefined));
    await settle(calls.slice(0, 2));
    expect(server.requests).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(59_999);
    expect(server.requests).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(1);
    await settle(calls);
    expect(server.requests).toHaveLength(4);
    expect(md.upstreamRequests()).toBe(4);
  });

  it('GIVEN a retry THEN it waits its turn too: the cap counts every request sent', async () => {
    server.faults.add({ status: 500 }, { times: 1 });
    let retrying = false;
    const md = createPolygonMarketData({
      apiKey: KEY,
      apiRoot: server.url,
      rateLimitPerMin: 1,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 },
      sleep: async () => void (retrying = true),
      now: () => new Date(),
    });
    const bars = md.dailyBars('AAPL', 3);
    await realIoUntil(() => retrying);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(server.requests).toHaveLength(1); // the 500; its retry is held for the rest of the minute
    await vi.advanceTimersByTimeAsync(1);
    await expect(bars).resolves.toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });

  it('GIVEN no limit THEN requests go out at once', async () => {
    const md = createPolygonMarketData({ apiKey: KEY, apiRoot: server.url, now: () => new Date() });
    await settle(['AAPL', 'MSFT', 'TSLA', 'SPY', 'QQQ', 'IWM'].map((s) => md.dailyBars(s, 3).catch(() => undefined)));
    expect(server.requests).toHaveLength(6);
  });
});
