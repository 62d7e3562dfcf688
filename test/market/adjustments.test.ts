/**
 * Point-in-time split and dividend adjustment on the bundled bars: a split is never a breakout, the as-of day
 * shows its real prices, and nothing after the as-of day changes what came before.
 */
import { describe, expect, it } from 'vitest';
import { readBreakout } from '../../src/analysis/volatility.ts';
import { adjustAsOf, factorsOn, parseFactorFile, splitRatioBetween } from '../../src/market/adjustments.ts';
import { createReplayMarketData } from '../../src/market/replay.ts';
import { BREAKOUT } from '../support/defaults.ts';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const replayOn = (date: string, now?: string) =>
  createReplayMarketData({ asOf: () => d(date), ...(now ? { now: () => new Date(now) } : {}) });
const close = (bars: { time: Date; close: number }[], date: string) => bars.find((b) => b.time.toISOString().startsWith(date))?.close;

describe('LEAN factor files', () => {
  const rows = parseFactorFile('20200828,0.9967882,0.25,499.23\n20201105,0.9978,1,118.03\n20501231,1,1,0', 'aapl.csv');

  it('should read the factors of a day from the first row dated on or after it', () => {
    expect(factorsOn(rows, '2020-08-28')).toEqual({ split: 0.25, total: 0.25 * 0.9967882 });
    expect(factorsOn(rows, '2020-08-31')).toEqual({ split: 1, total: 0.9978 });
    expect(factorsOn(rows, '2051-01-01')).toEqual({ split: 1, total: 1 });
  });

  it('should say how many shares one became between two days', () => {
    expect(splitRatioBetween(rows, '2020-08-28', '2020-08-31')).toBe(4);
    expect(splitRatioBetween(rows, '2020-08-31', '2020-09-30')).toBe(1);
    expect(splitRatioBetween(parseFactorFile('20200428,1,8,2.13\n20501231,1,1,0', 'uso.csv'), '2020-04-28', '2020-04-29')).toBe(0.125);
  });

  it('should refuse a malformed row, naming the line', () => {
    expect(() => parseFactorFile('20200828,0.99,0.25\n2020-09-01,1,1', 'x.csv')).toThrow('x.csv line 2: not a factor row');
  });

  it('should scale earlier bars and leave the as-of day at its real price', () => {
    const bars = [
      { time: d('2020-08-28'), open: 500, high: 510, low: 490, close: 499.23, volume: 1000 },
      { time: d('2020-08-31'), open: 127.58, high: 131, low: 126, close: 129.04, volume: 4000 },
    ];
    const adjusted = adjustAsOf(bars, rows, '2020-08-31');
    expect(adjusted[1]).toBe(bars[1]); // untouched when no factor differs
    expect(adjusted[0]!.close / adjusted[0]!.volume).toBeCloseTo((499.23 * (0.25 * 0.9967882) / 0.9978) / (1000 * 4), 12);
  });
});

describe('replay bars adjusted as of the replayed day', () => {
  it("should not read AAPL's 4:1 split as a -75% breakdown", async () => {
    const bars = await replayOn('2020-08-31').dailyBars('AAPL', 60);
    expect(close(bars, '2020-08-31')).toBe(129.04); // the day's real close
    expect(close(bars, '2020-08-28')).toBeCloseTo(499.23 / 4, 0); // the day before, on the same terms
    const reading = readBreakout('AAPL', bars, BREAKOUT);
    expect(reading.status).not.toBe('insufficient-data');
    if (reading.status !== 'insufficient-data') expect(Math.abs(reading.zScore)).toBeLessThan(2);
  });

  it("should not read USO's 1:8 reverse split as a +745% breakout", async () => {
    const reading = readBreakout('USO', await replayOn('2020-04-29').dailyBars('USO', 60), BREAKOUT);
    if (reading.status !== 'insufficient-data') expect(reading.zScore).toBeLessThan(2);
  });

  it('should show the real prices of the day before a split when replaying that day: no later split leaks in', async () => {
    const bars = await replayOn('2020-08-28').dailyBars('AAPL', 30);
    expect(close(bars, '2020-08-28')).toBe(499.23);
    expect(bars.every((b) => b.time <= d('2020-08-28'))).toBe(true);
  });

  it('should price at the next open while that session is on, and at the close otherwise', async () => {
    // 2020-03-13 09:45 New York is 13:45 UTC; the session after the 2020-03-12 close is open.
    const morning = replayOn('2020-03-12', '2020-03-13T13:45:00Z');
    const spy = await morning.quote('SPY');
    expect(spy.price).toBe(263.34); // SPY's 2020-03-13 open, the only price of that day known by 09:45
    expect(spy.previousClose).toBe(248.11);
    expect((await morning.dailyBars('SPY', 10)).at(-1)!.time).toEqual(d('2020-03-12')); // decisions see closed sessions only
    expect((await replayOn('2020-03-12', '2020-03-13T21:30:00Z').quote('SPY')).price).toBe(248.11); // after that close: not "in progress"
    expect((await replayOn('2020-03-12').quote('SPY')).price).toBe(248.11);
  });
});
