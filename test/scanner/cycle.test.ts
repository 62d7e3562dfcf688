import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { MarketDataError } from '../../src/errors.ts';
import type { MarketData } from '../../src/market/provider.ts';
import { REGIME_STATE_KEY, runCycle } from '../../src/scanner/cycle.ts';
import { MemoryStore } from '../../src/store/memory.ts';

const replayConfig = (extra: Record<string, string> = {}) => loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12', ...extra });

describe('a whole cycle on replay data', () => {
  it('should find the demo day BEARISH with accepted and rejected puts', async () => {
    const rt = await createRuntime(replayConfig(), { store: new MemoryStore() });
    const report = await rt.runCycle();
    expect(report.source).toBe('replay');
    expect(report.modeled).toBe(true);
    expect(report.regime.state).toBe('BEARISH');
    expect(report.regime.reasons).toContain('VIX 75.47 > 20');
    const bySymbol = new Map(report.results.map((r) => [r.symbol, r]));
    const goog = bySymbol.get('GOOG')!.plan!;
    expect(goog.status).toBe('REJECTED');
    expect(goog.reason).toMatch(/^1 contract costs \$1,\d{3} > \$1,000 risk cap$/);
    const spy = bySymbol.get('SPY')!.plan!;
    expect(spy.status).toBe('ACCEPTED');
    expect(spy.contract?.right).toBe('put');
    expect(spy.contract?.expiry).toEqual(new Date('2020-03-20T00:00:00Z'));
    expect(spy.costUsd).toBeLessThanOrEqual(1000);
    expect(Number.isInteger(spy.contracts)).toBe(true);
    expect(report.stats).toMatchObject({ scanned: 15, signals: 11, accepted: 9, rejected: 2, errors: 0 });
    expect(await rt.store.get(REGIME_STATE_KEY)).toBe('BEARISH');
  });

  it('should list a failing ticker with its error kind and finish the scan', async () => {
    const rt = await createRuntime(replayConfig({ UNIVERSE: 'SPY,NFLX,AAPL' }), { store: new MemoryStore() });
    const report = await rt.runCycle();
    expect(report.results.map((r) => r.symbol)).toEqual(['SPY', 'NFLX', 'AAPL']);
    expect(report.results[1]!.error?.kind).toBe('not_found');
    expect(report.stats.errors).toBe(1);
    expect(report.results[0]!.plan?.status).toBe('ACCEPTED');
  });

  it('should go NEUTRAL with the reason when VIX cannot be fetched, and keep at most N requests in flight', async () => {
    const rt = await createRuntime(replayConfig({ SCAN_CONCURRENCY: '3' }), { store: new MemoryStore() });
    let inFlight = 0;
    let maxInFlight = 0;
    const flaky: MarketData = {
      name: 'flaky',
      async dailyBars(symbol, days) {
        if (symbol === '^VIX') throw new MarketDataError('upstream', 'flaky', symbol, 'HTTP 503 from upstream');
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return rt.market.dailyBars(symbol, days);
      },
      quote: (s) => rt.market.quote(s),
      optionChain: (s, e) => rt.market.optionChain(s, e),
    };
    const report = await runCycle({ ...rt.cycleDeps(), market: flaky });
    expect(report.regime.state).toBe('NEUTRAL');
    expect(report.regime.reasons[0]).toBe('^VIX data unavailable: HTTP 503 from upstream');
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThan(1);
    // NEUTRAL halves the short budget: every accepted plan fits in $500.
    for (const r of report.results) if (r.plan?.status === 'ACCEPTED') expect(r.plan.costUsd).toBeLessThanOrEqual(500);
  });
});
