import { describe, expect, it } from 'vitest';
import { MarketDataError } from '../../src/core/errors.ts';
import { createReplayMarketData, replaySymbols } from '../../src/market/replay.ts';

const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe('replay market data', () => {
  it('should never show a bar after the as-of date', async () => {
    const md = createReplayMarketData({ asOf: () => d('2020-03-12') });
    const bars = await md.dailyBars('SPY', 30);
    expect(bars.at(-1)?.time).toEqual(d('2020-03-12'));
    expect(bars.at(-1)?.close).toBe(248.11);
    expect(bars.every((b) => b.time <= d('2020-03-12'))).toBe(true);
    const quote = await md.quote('SPY');
    expect(quote.price).toBe(248.11);
  });

  it('should answer for ^VIX from VIX.csv', async () => {
    const md = createReplayMarketData({ asOf: () => d('2020-03-12') });
    expect((await md.dailyBars('^VIX', 10)).at(-1)?.close).toBe(75.47);
  });

  it('should move forward with its clock (a multi-day replay)', async () => {
    let asOf = d('2020-03-12');
    const md = createReplayMarketData({ asOf: () => asOf });
    expect((await md.quote('SPY')).time).toEqual(d('2020-03-12'));
    asOf = d('2020-03-13');
    expect((await md.quote('SPY')).time).toEqual(d('2020-03-13'));
  });

  it('should say not found for a ticker it has no data for', async () => {
    const md = createReplayMarketData({ asOf: () => d('2020-03-12') });
    const err = await md.dailyBars('NFLX', 30).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MarketDataError);
    expect((err as MarketDataError).kind).toBe('not_found');
  });

  it('should model weekly chains on Fridays, marked modeled, with a sane strike grid and quotes', async () => {
    const md = createReplayMarketData({ asOf: () => d('2020-03-12') });
    const chain = await md.optionChain('AAPL');
    expect(chain.modeled).toBe(true);
    expect(chain.expiry).toEqual(d('2020-03-13'));
    // Weekly expiries are Fridays, except Good Friday 2020-04-10, whose options expire on Thursday.
    expect(chain.expiries.map((e) => e.toISOString().slice(0, 10))).toEqual(['2020-03-13', '2020-03-20', '2020-03-27', '2020-04-03', '2020-04-09', '2020-04-17']);
    const strikes = chain.puts.map((p) => p.strike);
    expect(strikes[1]! - strikes[0]!).toBe(2.5);
    for (const c of [...chain.puts, ...chain.calls]) {
      expect(c.modeled).toBe(true);
      expect(c.ask).toBeGreaterThanOrEqual(c.bid);
    }
    const later = await md.optionChain('AAPL', d('2020-03-20'));
    expect(later.expiry).toEqual(d('2020-03-20'));
  });

  it('should list only symbols with data near the as-of date', () => {
    const symbols = replaySymbols(undefined, d('2020-03-12'));
    expect(symbols).toContain('SPY');
    expect(symbols).toContain('^VIX');
    expect(symbols).not.toContain('MSFT'); // recorded for 2021-02..2022-01 only
  });
});
