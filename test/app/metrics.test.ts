import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeBot, type Bot } from '../../src/app/bot.ts';
import { loadConfig } from '../../src/config/config.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { startYahooServer, type YahooServer } from '../support/yahoo-server.ts';

describe('the bot metrics on live-style data (Yahoo through the cache)', () => {
  let server: YahooServer;
  let bot: Bot | undefined;
  beforeEach(async () => {
    server = await startYahooServer();
  });
  afterEach(async () => {
    await bot?.close();
    await server.close();
  });

  it('should count cache hits and misses, upstream requests, and failed calls by kind', async () => {
    const config = loadConfig({ MARKET_DATA: 'yahoo', YAHOO_API_ROOT: server.url });
    bot = await composeBot(config, { store: new MemoryStore(), now: () => new Date('2020-11-07T00:00:00Z'), logger: { info() {}, warn() {}, error() {} } });
    const { market } = bot.runtime;
    await market.dailyBars('AAPL', 70);
    await market.dailyBars('AAPL', 70); // from the cache
    await expect(market.dailyBars('ZZZZNOPE', 70)).rejects.toThrow();
    await expect(market.dailyBars('ZZZZNOPE', 70)).rejects.toThrow(); // a remembered not-found: no upstream call
    const lines = (await bot.metrics.text()).split('\n');
    expect(lines).toContain('hundredx_cache_hits_total{kind="bars"} 2');
    expect(lines).toContain('hundredx_cache_misses_total{kind="bars"} 2');
    expect(lines).toContain('hundredx_upstream_errors_total{kind="not_found"} 1');
    expect(lines).toContain('hundredx_upstream_errors_total{kind="rate_limited"} 0');
    expect(lines).toContain(`hundredx_upstream_requests_total ${server.requests.length}`);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    // Nothing configured: alerts go to the console, whose counters read 0 rather than being absent.
    expect(lines).toContain('hundredx_alerts_total{platform="console",outcome="sent"} 0');
  });
});
