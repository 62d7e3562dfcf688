import { describe, expect, it } from 'vitest';
import type { Regime, Signal } from '../../src/core/types.ts';
import type { OptionContract } from '../../src/market/types.ts';
import { allocateBudget } from '../../src/scanner/allocate.ts';
import type { TickerResult } from '../../src/scanner/types.ts';
import { issuerOf } from '../../src/scanner/universe.ts';
import { sizeTrade } from '../../src/trading/risk.ts';
import { RISK } from '../support/defaults.ts';

const asOf = new Date('2020-03-12T00:00:00Z');
const BEARISH: Regime = { state: 'BEARISH', vix: 75, spy: 248, spySma: 320, spyTrend: -0.22, long: 0, short: 1, reasons: [], asOf };

function result(symbol: string, zScore: number, ask = 1): TickerResult {
  const signal: Signal = { symbol, side: 'SHORT', zScore, sigma: 0.03, dailyReturn: -0.1, price: 100, asOf, strategy: 'volatility-breakout' };
  const contract: OptionContract = {
    symbol: `${symbol}200320P00090000`, underlying: symbol, right: 'put', strike: 90, expiry: new Date('2020-03-20T00:00:00Z'),
    bid: ask - 0.05, ask, last: ask, volume: 0, openInterest: 4000, impliedVol: 0.6, modeled: true,
  };
  return { symbol, signal, plan: sizeTrade({ signal, regime: BEARISH, contract }, RISK) };
}

describe('allocateBudget', () => {
  it('should size share classes of one company once: the strongest, and say why not the other', () => {
    const out = allocateBudget([result('GOOG', -2.3), result('GOOGL', -2.5), result('SPY', -2.0)], BEARISH, { ...RISK, maxOpenRiskPct: 100 }, 0, { issuerOf });
    expect(out.map((r) => r.plan?.status)).toEqual(['REJECTED', 'ACCEPTED', 'ACCEPTED']);
    expect(out[0]!.plan!.reason).toBe('one name: GOOG and GOOGL are share classes of one company, and GOOGL was sized first');
    expect(issuerOf('goog')).toBe('GOOGL');
    expect(issuerOf('NFLX')).toBe('NFLX');
  });

  it('should open at most maxNewPositions a cycle, strongest |z| first', () => {
    const results = ['A', 'B', 'C', 'D'].map((s, i) => result(s, -2 - i));
    const out = allocateBudget(results, BEARISH, { ...RISK, maxOpenRiskPct: 100 }, 0, { maxNewPositions: 2 });
    expect(out.map((r) => `${r.symbol} ${r.plan?.status}`)).toEqual(['A REJECTED', 'B REJECTED', 'C ACCEPTED', 'D ACCEPTED']);
    expect(out[0]!.plan!.reason).toBe('2 new positions this cycle already (MAX_NEW_POSITIONS)');
  });
});
