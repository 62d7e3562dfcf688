import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/app/runtime.ts';
import { loadConfig } from '../../src/config/config.ts';
import { MarketDataError } from '../../src/core/errors.ts';
import type { MarketData } from '../../src/market/provider.ts';
import { scanCycle } from '../../src/scanner/cycle.ts';
import { REGIME_STATE_KEY } from '../../src/scanner/regime.ts';
import { MemoryStore } from '../../src/store/memory.ts';

const replayConfig = (extra: Record<string, string> = {}) => loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12', ...extra });

describe('a whole cycle on replay data', () => {
  it('should find the demo day BEARISH with accepted and rejected puts', async () => {
    const rt = await createRuntime(replayConfig(), { store: new MemoryStore() });
    const report = await scanCycle(rt.cycleDeps(rt.universe()));
    expect(report.source).toBe('replay');
    expect(report.modeled).toBe(true);
    expect(report.regime.state).toBe('BEARISH');
    expect(report.regime.reasons).toContain('VIX 75.47 > 20');
    const bySymbol = new Map(report.results.map((r) => [r.symbol, r]));
    const goog = bySymbol.get('GOOG')!.plan!;
    expect(goog.status).toBe('REJECTED');
    expect(goog.reason).toBe('1 contract costs $2,810 + $1.00 fee > $1,000 risk cap');
    const aig = bySymbol.get('AIG')!.plan!; // strongest |z|: sized first
    expect(aig.status).toBe('ACCEPTED');
    expect(aig.contract?.right).toBe('put');
    expect(aig.contract?.expiry).toEqual(new Date('2020-03-20T00:00:00Z'));
    expect(aig.totalUsd).toBeLessThanOrEqual(1000); // premium and commission inside the cap
    expect(aig.reason).toBe('11 contracts x $0.88 = $968 + $7.15 fees = $975.15 within $1,000 risk cap');
    expect(Number.isInteger(aig.contracts)).toBe(true);
    // Accepted plans together stay within the 50% open-risk limit and MAX_NEW_POSITIONS; later ones are told why not.
    const accepted = report.results.flatMap((r) => (r.plan?.status === 'ACCEPTED' ? [r.plan] : []));
    expect(accepted.reduce((sum, p) => sum + p.totalUsd, 0)).toBeLessThanOrEqual(5000);
    expect(bySymbol.get('SPY')!.plan!.reason).toBe('5 new positions this cycle already (MAX_NEW_POSITIONS)');
    expect(report.stats).toMatchObject({ scanned: 15, signals: 11, accepted: 5, rejected: 6, errors: 0 });
    expect(JSON.parse((await rt.store.get(REGIME_STATE_KEY))!)).toMatchObject({ session: '2020-03-12', state: 'BEARISH' });
  });

  it('should spend the 50% open-risk limit strongest first when more new positions are allowed', async () => {
    const rt = await createRuntime(replayConfig({ MAX_NEW_POSITIONS: '20' }), { store: new MemoryStore() });
    const report = await scanCycle(rt.cycleDeps(rt.universe()));
    const plan = (symbol: string) => report.results.find((r) => r.symbol === symbol)!.plan!;
    expect(plan('SPY').reason).toBe(
      '1 contract costs $680 + $1.00 fee > $513.85 budget (cap $1,000, $4,486.15 of the $5,000 open-risk limit in use)',
    );
    expect(plan('FB')).toMatchObject({ status: 'ACCEPTED', contracts: 1, totalUsd: 376 });
    const accepted = report.results.flatMap((r) => (r.plan?.status === 'ACCEPTED' ? [r.plan] : []));
    expect(accepted.reduce((sum, p) => sum + p.totalUsd, 0)).toBeLessThanOrEqual(5000);
  });

  it('should list a failing ticker with its error kind and finish the scan', async () => {
    const rt = await createRuntime(replayConfig({ UNIVERSE: 'SPY,NFLX,AAPL' }), { store: new MemoryStore() });
    const report = await scanCycle(rt.cycleDeps(rt.universe()));
    expect(report.results.map((r) => r.symbol)).toEqual(['SPY', 'NFLX', 'AAPL']);
    expect(report.results[1]!.error?.kind).toBe('not_found');
    expect(report.stats.errors).toBe(1);
    expect(report.results[0]!.plan?.status).toBe('ACCEPTED');
  });

  it('should report progress at the start and after each ticker, counting failures and signals', async () => {
    const rt = await createRuntime(replayConfig({ UNIVERSE: 'SPY,NFLX,TSLA' }), { store: new MemoryStore() });
    const seen: { done: number; total: number; errors: number; signals: number }[] = [];
    await scanCycle({ ...rt.cycleDeps(rt.universe()), onProgress: (p) => seen.push(p) });
    expect(seen[0]).toEqual({ done: 0, total: 3, errors: 0, signals: 0 });
    expect(seen.map((p) => p.done)).toEqual([0, 1, 2, 3]);
    expect(seen.at(-1)).toEqual({ done: 3, total: 3, errors: 1, signals: 1 });
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
    const report = await scanCycle({ ...rt.cycleDeps(rt.universe()), market: flaky });
    expect(report.regime.state).toBe('NEUTRAL');
    expect(report.regime.reasons[0]).toBe('^VIX data unavailable: HTTP 503 from upstream');
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThan(1);
    // NEUTRAL halves the short budget: every accepted plan fits in $500.
    for (const r of report.results) if (r.plan?.status === 'ACCEPTED') expect(r.plan.costUsd).toBeLessThanOrEqual(500);
  });
});
