/**
 * A scan answered wholly from the cache sends nothing upstream, not even Yahoo's cookie/crumb pair: a new
 * runtime (as a new process: its own client, cookie jar and no crumb) over a store an earlier scan filled
 * (as a shared Redis would be). The real yahoo-finance2 against the local Yahoo server, recorded series.
 */
import type { Bar } from '../../src/core/types.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/app/runtime.ts';
import { loadConfig } from '../../src/config/config.ts';
import { BUNDLED_BARS_DIR, parseBarsCsv } from '../../src/market/replay.ts';
import { scanCycle } from '../../src/scanner/cycle.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { startYahooServer, type YahooServer } from '../support/yahoo-server.ts';

/** A Monday of the March 2020 sell-off: several of the recorded series break down that day. */
const AS_OF = new Date('2020-03-09T00:00:00Z');
const SYMBOLS = ['SPY', '^VIX', 'AIG', 'EEM', 'TSLA', 'IBM'];
const now = () => new Date(AS_OF.getTime() + 20 * 3_600_000); // 16:00 New York, after the close

const recorded = (symbol: string): Bar[] =>
  parseBarsCsv(readFileSync(join(BUNDLED_BARS_DIR, `${symbol.replace('^', '')}.csv`), 'utf8'), symbol).filter((b) => b.time <= AS_OF).slice(-150);

let server: YahooServer;
beforeEach(async () => {
  server = await startYahooServer({ syntheticBars: new Map(SYMBOLS.map((s) => [s, recorded(s)])) });
});
afterEach(async () => server.close());

describe('a scan over a warm cache', () => {
  it('should make no upstream request at all, cookie/crumb included', async () => {
    const config = loadConfig({ MARKET_DATA: 'yahoo', YAHOO_API_ROOT: server.url, UNIVERSE: 'AIG,EEM,TSLA,IBM' });
    const store = new MemoryStore();
    const cold = await createRuntime(config, { now, store });
    const first = await scanCycle(cold.cycleDeps(cold.universe()));
    expect(first.stats.signals).toBeGreaterThan(0);
    expect(first.stats.errors).toBe(0);
    const crumbFlow = server.requests.filter((r) => r.path.startsWith('/quote/') || r.path.startsWith('/v1/test/getcrumb'));
    expect(crumbFlow).toHaveLength(2); // once, for the chains the signals needed
    expect(server.requests.some((r) => r.path.startsWith('/v7/finance/options/'))).toBe(true);

    const seen = server.requests.length;
    const warm = await createRuntime(config, { now, store });
    const second = await scanCycle(warm.cycleDeps(warm.universe()));
    expect(server.requests.slice(seen).map((r) => r.path)).toEqual([]);
    expect(second.stats.upstreamRequests).toBe(0);
    expect(second.results.map((r) => r.plan?.status)).toEqual(first.results.map((r) => r.plan?.status));
    await store.close();
  });
});
