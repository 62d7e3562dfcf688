import { describe, expect, it } from 'vitest';
import { MarketDataError } from '../../src/core/errors.ts';
import { observedMarketData } from '../../src/market/observed.ts';
import { BUNDLED_BARS_DIR, createReplayMarketData } from '../../src/market/replay.ts';

describe('observedMarketData', () => {
  it('should report each failed call by kind and pass answers and errors through unchanged', async () => {
    const failed: string[] = [];
    const replay = createReplayMarketData({ dataDir: BUNDLED_BARS_DIR, asOf: () => new Date('2020-03-12T00:00:00Z'), rate: 0.02 });
    const market = observedMarketData(replay, { failed: (kind) => failed.push(kind) });
    expect(market.name).toBe('replay');
    expect(await market.dailyBars('SPY', 30)).toEqual(await replay.dailyBars('SPY', 30));
    const err = await market.dailyBars('NOPE', 30).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MarketDataError);
    expect((err as MarketDataError).kind).toBe('not_found');
    const broken = observedMarketData(
      { ...replay, quote: () => { throw new TypeError('bug'); } },
      { failed: (kind) => failed.push(kind) },
    );
    await expect(broken.quote('SPY')).rejects.toThrow('bug');
    expect(failed).toEqual(['not_found', 'internal']);
  });

  it('should keep every member the source has, optional ones included', () => {
    const replay = createReplayMarketData({ dataDir: BUNDLED_BARS_DIR, asOf: () => new Date('2020-03-12T00:00:00Z'), rate: 0.02 });
    const withPrepare = { ...replay, prepare: async () => {} };
    expect(Object.keys(observedMarketData(withPrepare, {})).sort()).toEqual(Object.keys(withPrepare).sort());
  });
});
