import { describe, expect, it } from 'vitest';
import { byPeriod, byTicker, periodOf, pnlSummary } from '../../src/trading/ledger/performance.ts';
import type { EquityPoint, PaperPosition } from '../../src/trading/ledger/types.ts';

/** A closed position of `underlying` that netted `pnlUsd` (after $1 + $1 commissions), closed at `at`. */
function closed(id: string, underlying: string, pnlUsd: number, at: string): PaperPosition {
  return {
    id, signalKey: `${underlying}|SHORT|${id}`, alertId: `a${id}`, underlying, side: 'SHORT', contractSymbol: `${underlying}P`, right: 'put',
    strike: 100, expiryDate: '2026-03-06', contracts: 1, entryPriceUsd: 1, costUsd: 100, entryCommissionUsd: 1, openedAt: at,
    markPriceUsd: 1, markBidUsd: 1, markedAt: at, modeled: false, status: 'closed',
    exit: { reason: 'take-profit', at, priceUsd: 1, proceedsUsd: 100 + pnlUsd + 2, commissionUsd: 1, pnlUsd },
  };
}
const point = (date: string, equityUsd: number): EquityPoint => ({ date, equityUsd, cashUsd: equityUsd, at: `${date}T21:00:00.000Z` });

const POSITIONS = [
  closed('1', 'SPY', 300, '2026-03-02T18:00:00Z'),
  closed('2', 'NFLX', -100, '2026-03-03T18:00:00Z'),
  // 21:30 New York on Friday Mar 6 is Saturday in UTC: it still belongs to Friday, and to that week.
  closed('3', 'SPY', -50, '2026-03-07T02:30:00Z'),
  closed('4', 'TSLA', 0, '2026-03-10T15:00:00Z'),
];
const EQUITY = [point('2026-03-02', 10_300), point('2026-03-03', 10_200), point('2026-03-06', 10_150), point('2026-03-10', 10_150)];

describe('pnlSummary', () => {
  it('should count every closed trade net of fees, with the drawdown over the equity curve', () => {
    const s = pnlSummary(POSITIONS, EQUITY, { startingEquityUsd: 10_000, equityNowUsd: 10_120 });
    expect(s).toMatchObject({ tradeCount: 4, winCount: 1, lossCount: 2, breakevenCount: 1, netPnlUsd: 150, totalFeesUsd: 8, since: null });
    expect(s.winRate).toBe(0.25);
    expect(s.profitFactor).toBe(2);
    expect(s.equityStartUsd).toBe(10_000);
    expect(s.equityEndUsd).toBe(10_120);
    // Peak 10,300 to the trough now, 10,120.
    expect(s.maxDrawdown).toBeCloseTo(1 - 10_120 / 10_300, 12);
    expect(s.best).toEqual({ symbol: 'SPY', pnlUsd: 250 });
    expect(s.worst).toEqual({ symbol: 'NFLX', pnlUsd: -100 });
  });

  it('should open a window at the last session close before it', () => {
    const s = pnlSummary(POSITIONS, EQUITY, { startingEquityUsd: 10_000, equityNowUsd: 10_150 }, '2026-03-04');
    expect(s.tradeCount).toBe(2);
    expect(s.netPnlUsd).toBe(-50);
    expect(s.equityStartUsd).toBe(10_200);
    expect(s.maxDrawdown).toBeCloseTo(50 / 10_200, 12);
  });

  it('should say nothing rather than zero where there is nothing to measure', () => {
    const s = pnlSummary([], [], { startingEquityUsd: 10_000, equityNowUsd: 10_000 });
    expect(s).toMatchObject({ tradeCount: 0, winRate: null, profitFactor: null, best: null, worst: null, maxDrawdown: 0 });
  });
});

describe('byTicker', () => {
  it('should rank tickers by net P&L, best first', () => {
    expect(byTicker(POSITIONS)).toEqual([
      { symbol: 'SPY', trades: 2, pnlUsd: 250, winRate: 0.5 },
      { symbol: 'TSLA', trades: 1, pnlUsd: 0, winRate: 0 },
      { symbol: 'NFLX', trades: 1, pnlUsd: -100, winRate: 0 },
    ]);
  });
});

describe('byPeriod', () => {
  it('should group by New York day, newest first, with the closing equity', () => {
    expect(byPeriod(POSITIONS, EQUITY, 'day', 3)).toEqual([
      { period: '2026-03-10', trades: 1, pnlUsd: 0, equityUsd: 10_150 },
      { period: '2026-03-06', trades: 1, pnlUsd: -50, equityUsd: 10_150 },
      { period: '2026-03-03', trades: 1, pnlUsd: -100, equityUsd: 10_200 },
    ]);
  });

  it('should group by Monday-started week and by month', () => {
    expect(byPeriod(POSITIONS, EQUITY, 'week', 10)).toEqual([
      { period: '2026-03-09', trades: 1, pnlUsd: 0, equityUsd: 10_150 },
      { period: '2026-03-02', trades: 3, pnlUsd: 150, equityUsd: 10_150 },
    ]);
    expect(byPeriod(POSITIONS, EQUITY, 'month', 10)).toEqual([{ period: '2026-03', trades: 4, pnlUsd: 150, equityUsd: 10_150 }]);
  });

  it.each([
    ['2026-03-02', '2026-03-02'],
    ['2026-03-08', '2026-03-02'],
    ['2026-03-09', '2026-03-09'],
    ['2027-01-01', '2026-12-28'],
  ])('should put %s in the week of Monday %s', (date, monday) => {
    expect(periodOf(date, 'week')).toBe(monday);
  });
});
