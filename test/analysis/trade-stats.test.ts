import { describe, expect, it } from 'vitest';
import { tradeStats, type ClosedTrade } from '../../src/analysis/trade-stats.ts';

const trades = (pnls: number[], feeUsd = 1.3): ClosedTrade[] => pnls.map((pnlUsd) => ({ pnlUsd, feesUsd: feeUsd }));

describe('tradeStats', () => {
  it('should summarise a mixed book (worked by hand)', () => {
    // Wins 300 + 100 = 400 over 2; losses -100 - 100 - 50 = -250 over 3; net 150 over 5 trades.
    expect(tradeStats(trades([300, -100, 100, -100, -50]))).toEqual({
      tradeCount: 5,
      winCount: 2,
      lossCount: 3,
      breakevenCount: 0,
      winRate: 0.4,
      grossProfitUsd: 400,
      grossLossUsd: -250,
      averageWinUsd: 200,
      averageLossUsd: -250 / 3,
      profitFactor: 1.6,
      expectancyUsd: 30,
      netPnlUsd: 150,
      totalFeesUsd: 1.3 * 5,
    });
  });

  it('should make expectancy equal W·avgWin − L·|avgLoss| (vectorbt), not LEAN\'s ratio form', () => {
    const s = tradeStats(trades([300, -100, 100, -100, -50]));
    const lossRate = s.lossCount / s.tradeCount;
    expect(s.expectancyUsd).toBeCloseTo(s.winRate! * s.averageWinUsd! - lossRate * Math.abs(s.averageLossUsd!), 12);
    // LEAN's W·(avgWin/|avgLoss|) − L would be 0.4·2.4 − 0.6 = 0.36 "average losses": a different number.
    expect(s.expectancyUsd).not.toBeCloseTo(0.36, 2);
  });

  it.each([
    // pnls, winRate, profitFactor, expectancyUsd, averageWinUsd, averageLossUsd
    [[50, 150], 1, null, 100, 100, null],
    [[-20, -80], 0, 0, -50, null, -50],
    [[0, 100, -50, 0], 0.25, 2, 12.5, 100, -50],
    [[10, -10], 0.5, 1, 0, 10, -10],
    [[0], 0, null, 0, null, null],
  ])('should give %j: win rate %s, profit factor %s, expectancy %s', (pnls, winRate, profitFactor, expectancyUsd, averageWinUsd, averageLossUsd) => {
    const s = tradeStats(trades(pnls));
    expect(s.winRate).toBe(winRate);
    expect(s.profitFactor).toBe(profitFactor);
    expect(s.expectancyUsd).toBe(expectancyUsd);
    expect(s.averageWinUsd).toBe(averageWinUsd);
    expect(s.averageLossUsd).toBe(averageLossUsd);
  });

  it('should count a break-even trade in neither wins nor losses, but in the trade count', () => {
    const s = tradeStats(trades([0, 100, -50, 0]));
    expect([s.tradeCount, s.winCount, s.lossCount, s.breakevenCount]).toEqual([4, 1, 1, 2]);
  });

  it('should give nulls and zeros for no trades', () => {
    expect(tradeStats([])).toEqual({
      tradeCount: 0,
      winCount: 0,
      lossCount: 0,
      breakevenCount: 0,
      winRate: null,
      grossProfitUsd: 0,
      grossLossUsd: 0,
      averageWinUsd: null,
      averageLossUsd: null,
      profitFactor: null,
      expectancyUsd: null,
      netPnlUsd: 0,
      totalFeesUsd: 0,
    });
  });

  it('should sum fees without subtracting them from the (already net) P&L', () => {
    const s = tradeStats([
      { pnlUsd: 98.7, feesUsd: 1.3 },
      { pnlUsd: -51.3, feesUsd: 1.3 },
      { pnlUsd: -100, feesUsd: 0 }, // expired worthless: settlement is free
    ]);
    expect(s.totalFeesUsd).toBeCloseTo(2.6, 12);
    expect(s.netPnlUsd).toBeCloseTo(-52.6, 12);
  });

  it.each([
    [{ pnlUsd: NaN, feesUsd: 0 }],
    [{ pnlUsd: Infinity, feesUsd: 0 }],
    [{ pnlUsd: 10, feesUsd: -1 }],
    [{ pnlUsd: 10, feesUsd: NaN }],
  ])('should reject %j', (trade) => {
    expect(() => tradeStats([trade])).toThrow(RangeError);
  });
});
