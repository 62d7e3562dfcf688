import { RISK } from '../support/defaults.ts';
import { describe, expect, it } from 'vitest';
import type { Regime, Signal } from '../../src/core/types.ts';
import type { OptionContract } from '../../src/market/types.ts';
import { riskBudget, sizeTrade } from '../../src/trading/risk.ts';

const asOf = new Date('2026-11-24T00:00:00Z');
const regime = (state: Regime['state'], long: number, short: number): Regime => ({
  state, vix: 23.66, spy: 659.03, spySma: 668.4, spyTrend: 659.03 / 668.4 - 1, long, short, reasons: [], asOf,
});
const BEARISH = regime('BEARISH', 0, 1);
const NEUTRAL = regime('NEUTRAL', 0.5, 0.5);
const signal = (symbol: string, side: Signal['side']): Signal => ({
  symbol, side, zScore: side === 'SHORT' ? -2.6 : 2.6, sigma: 0.02, dailyReturn: -0.05, price: 500, asOf, strategy: 'volatility-breakout',
});
const put = (ask: number): OptionContract => ({
  symbol: 'NFLX261127P00500000', underlying: 'NFLX', right: 'put', strike: 500, expiry: new Date('2026-11-27T00:00:00Z'),
  bid: ask - 0.01, ask, last: ask, volume: 10, openInterest: 100, impliedVol: 0.5, modeled: false,
});

describe('riskBudget', () => {
  it('should give $1,000 of $10,000 with half Kelly at p=0.40, b=3 and a 10% cap', () => {
    const b = riskBudget(RISK, BEARISH, 'SHORT');
    expect(b.riskCapUsd).toBe(1000);
    expect(b.kellyFull).toBeCloseTo(0.2, 12);
    expect(b.kellySize).toBeCloseTo(0.1, 12);
    expect(b.budgetUsd).toBeCloseTo(1000, 9);
  });

  it('should scale the budget by the regime multiplier of the side', () => {
    expect(riskBudget(RISK, NEUTRAL, 'LONG').budgetUsd).toBeCloseTo(500, 9);
    expect(riskBudget(RISK, BEARISH, 'LONG').budgetUsd).toBe(0);
  });

  it('should let the cap bind when Kelly asks for more', () => {
    const b = riskBudget({ ...RISK, kelly: { fraction: 1, winProb: 0.6, payoff: 3 } }, BEARISH, 'SHORT');
    expect(b.kellySize * b.equityUsd).toBeCloseTo(4666.67, 1);
    expect(b.budgetUsd).toBe(1000);
  });

  it('should subtract open risk from the budget, never below zero', () => {
    expect(riskBudget(RISK, BEARISH, 'SHORT', 400).budgetUsd).toBeCloseTo(600, 9);
    expect(riskBudget(RISK, BEARISH, 'SHORT', 4000).budgetUsd).toBe(0);
  });
});

describe('sizeTrade', () => {
  it("should size the seed's day: $1,000 budget, a $0.11 put -> 90 contracts, $990", () => {
    const plan = sizeTrade({ signal: signal('NFLX', 'SHORT'), regime: BEARISH, contract: put(0.11) }, RISK);
    expect(plan.status).toBe('ACCEPTED');
    expect(plan.contracts).toBe(90);
    expect(plan.costUsd).toBeCloseTo(990, 9);
    expect(plan.reason).toBe('90 contracts x $0.11 = $990 within $1,000 risk cap');
    expect(plan.sizing.regimeMultiplier).toBe(1);
  });

  it("should keep the commission inside the cap: the seed's $0.11 put at $0.65 a contract -> 85 contracts, $990.25", () => {
    const fees = { commissionPerContractUsd: 0.65, minCommissionUsd: 1 };
    const plan = sizeTrade({ signal: signal('NFLX', 'SHORT'), regime: BEARISH, contract: put(0.11) }, { ...RISK, fees });
    expect(plan).toMatchObject({ status: 'ACCEPTED', contracts: 85 });
    expect([plan.costUsd, plan.feesUsd, plan.totalUsd].map((x) => Number(x.toFixed(2)))).toEqual([935, 55.25, 990.25]);
    expect(plan.reason).toBe('85 contracts x $0.11 = $935 + $55.25 fees = $990.25 within $1,000 risk cap');
    // The $1 minimum counts too: $999 of premium just fits, $1,000 does not.
    const fits = sizeTrade({ signal: signal('NFLX', 'SHORT'), regime: BEARISH, contract: put(9.99) }, { ...RISK, fees });
    expect(fits.reason).toBe('1 contract x $9.99 = $999 + $1.00 fees = $1,000.00 within $1,000 risk cap');
    const dear = sizeTrade({ signal: signal('NFLX', 'SHORT'), regime: BEARISH, contract: put(10) }, { ...RISK, fees });
    expect(dear.reason).toBe('1 contract costs $1,000 + $1.00 fee > $1,000 risk cap');
  });

  it('should cap the order at a share of open interest and of traded volume, and refuse a contract too thin for one', () => {
    const liquidity = { maxOpenInterestPct: 10, maxVolumePct: 25 };
    const byInterest = sizeTrade({ signal: signal('NFLX', 'SHORT'), regime: BEARISH, contract: { ...put(0.11), openInterest: 300, volume: 0 } }, { ...RISK, liquidity });
    expect(byInterest).toMatchObject({ status: 'ACCEPTED', contracts: 30 });
    expect(byInterest.reason).toBe('30 contracts x $0.11 = $330 within $1,000 risk cap; capped at 10% of open interest 300');
    const byVolume = sizeTrade({ signal: signal('NFLX', 'SHORT'), regime: BEARISH, contract: { ...put(0.11), openInterest: 5000, volume: 40 } }, { ...RISK, liquidity });
    expect(byVolume).toMatchObject({ status: 'ACCEPTED', contracts: 10 });
    const thin = sizeTrade({ signal: signal('NFLX', 'SHORT'), regime: BEARISH, contract: { ...put(0.11), openInterest: 9 } }, { ...RISK, liquidity });
    expect(thin).toMatchObject({ status: 'REJECTED', reason: 'too thin to trade: 10% of open interest 9' });
  });

  it('should reject when one contract costs more than the cap, with the numbers', () => {
    const plan = sizeTrade({ signal: signal('MSTR', 'SHORT'), regime: BEARISH, contract: put(12.4) }, RISK);
    expect(plan.status).toBe('REJECTED');
    expect(plan.contracts).toBe(0);
    expect(plan.costUsd).toBe(0);
    expect(plan.reason).toBe('1 contract costs $1,240 > $1,000 risk cap');
  });

  it('should accept exactly one contract when it costs exactly the budget', () => {
    const plan = sizeTrade({ signal: signal('X', 'SHORT'), regime: BEARISH, contract: put(10) }, RISK);
    expect(plan.status).toBe('ACCEPTED');
    expect(plan.contracts).toBe(1);
  });

  it('should reject a long in a BEARISH regime: long exposure 0.0x', () => {
    const plan = sizeTrade({ signal: signal('NFLX', 'LONG'), regime: BEARISH, contract: { ...put(0.11), right: 'call' } }, RISK);
    expect(plan.status).toBe('REJECTED');
    expect(plan.reason).toBe('BEARISH regime: long exposure 0.0x');
  });

  it('should name the scaled budget when the regime halves it', () => {
    const plan = sizeTrade({ signal: signal('NFLX', 'SHORT'), regime: NEUTRAL, contract: put(6) }, RISK);
    expect(plan.reason).toBe('1 contract costs $600 > $500 budget (cap $1,000, NEUTRAL 0.5x)');
  });

  it('should reject with the pick reason when no contract could be picked', () => {
    const plan = sizeTrade({ signal: signal('NFLX', 'SHORT'), regime: BEARISH, contract: null, pickReason: 'no tradable put on 2026-11-27' }, RISK);
    expect(plan).toMatchObject({ status: 'REJECTED', reason: 'no tradable put on 2026-11-27', contracts: 0 });
  });

  it('should always produce whole contracts', () => {
    for (const ask of [0.01, 0.07, 0.33, 1.01, 2.99, 9.99]) {
      const plan = sizeTrade({ signal: signal('X', 'SHORT'), regime: BEARISH, contract: put(ask) }, RISK);
      expect(Number.isInteger(plan.contracts)).toBe(true);
      expect(plan.costUsd).toBeLessThanOrEqual(1000 + 1e-9);
      expect(plan.costUsd + ask * 100).toBeGreaterThan(1000);
    }
  });
});
