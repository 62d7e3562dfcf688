/**
 * Domain objects for notify tests, built by hand with fixed dates and numbers (not through the risk
 * manager) so golden texts change only when the rendering does.
 */
import { scanChartSvg } from '../../src/charts/index.ts';
import type { Regime, RegimeState, Side, Signal } from '../../src/core/types.ts';
import type { MessageChart } from '../../src/notify/message.ts';
import { scanInput } from '../charts/fixtures.ts';
import type { OptionContract } from '../../src/market/types.ts';
import type { CycleReport, TickerResult } from '../../src/scanner/types.ts';
import type { SizingInputs, TradePlan } from '../../src/trading/types.ts';

export const AS_OF = new Date('2026-11-20T00:00:00Z');

const EXPOSURE: Record<RegimeState, { long: number; short: number }> = {
  BULLISH: { long: 1, short: 0.5 },
  NEUTRAL: { long: 0.5, short: 0.5 },
  BEARISH: { long: 0, short: 1 },
};

export function regime(state: RegimeState = 'BEARISH', overrides: Partial<Regime> = {}): Regime {
  const numbers = {
    BULLISH: { vix: 14.82, spy: 612.4, spySma: 598.15 },
    NEUTRAL: { vix: 19.1, spy: 590.05, spySma: 594.3 },
    BEARISH: { vix: 27.35, spy: 561.2, spySma: 598.9 },
  }[state];
  const reasons = {
    BULLISH: ['VIX 14.82 < 18', 'SPY 612.40 above its 50-day average 598.15'],
    NEUTRAL: ['VIX 19.10 between 18 and 20', 'SPY 590.05 below its 50-day average 594.30'],
    BEARISH: ['VIX 27.35 > 20', 'SPY 561.20 below its 50-day average 598.90'],
  }[state];
  const { long, short } = EXPOSURE[state];
  return {
    state,
    ...numbers,
    spyTrend: numbers.spy / numbers.spySma - 1,
    long,
    short,
    reasons: [...reasons, `Exposure: long ${long.toFixed(1)}x, short ${short.toFixed(1)}x`],
    asOf: AS_OF,
    ...overrides,
  };
}

export function signal(symbol: string, side: Side, zScore: number, overrides: Partial<Signal> = {}): Signal {
  return {
    symbol,
    side,
    zScore,
    sigma: 0.021,
    dailyReturn: side === 'LONG' ? 0.0523 : -0.0718,
    price: 512.3,
    asOf: AS_OF,
    strategy: 'volatility-breakout',
    ...overrides,
  };
}

export function contract(
  underlying: string,
  right: 'call' | 'put',
  strike: number,
  ask: number,
  expiry = new Date('2026-11-27T00:00:00Z'),
  overrides: Partial<OptionContract> = {},
): OptionContract {
  const yymmdd = expiry.toISOString().slice(2, 10).replaceAll('-', '');
  const strikeCode = String(Math.round(strike * 1000)).padStart(8, '0');
  return {
    symbol: `${underlying}${yymmdd}${right === 'call' ? 'C' : 'P'}${strikeCode}`,
    underlying,
    right,
    strike,
    expiry,
    bid: Math.max(0, ask - 0.02),
    ask,
    last: ask,
    volume: 1200,
    openInterest: 5400,
    impliedVol: 0.62,
    modeled: false,
    ...overrides,
  };
}

export function sizing(state: RegimeState, side: Side, overrides: Partial<SizingInputs> = {}): SizingInputs {
  const regimeMultiplier = side === 'LONG' ? EXPOSURE[state].long : EXPOSURE[state].short;
  return {
    equityUsd: 10_000,
    riskCapPct: 10,
    riskCapUsd: 1000,
    kellyWinProb: 0.4,
    kellyPayoff: 3,
    kellyFull: 0.2,
    kellyFraction: 0.5,
    kellySize: 0.1,
    regimeState: state,
    regimeMultiplier,
    openRiskUsd: 0,
    maxOpenRiskUsd: 1000,
    budgetUsd: 1000 * regimeMultiplier,
    ...overrides,
  };
}

/** SHORT NFLX: 90x Nov 27 $500 puts at $0.11 = $990, ACCEPTED in a BEARISH regime. */
export function nflxShortAccepted(overrides: Partial<TradePlan> = {}): TradePlan {
  return {
    signal: signal('NFLX', 'SHORT', -3.1),
    contract: contract('NFLX', 'put', 500, 0.11),
    contracts: 90,
    costUsd: 90 * 0.11 * 100, // 990.0000000000001: rounding is the renderer's job
    feesUsd: 0, // the seed's example: commission 0
    totalUsd: 90 * 0.11 * 100,
    contractCostUsd: 11,
    sizing: sizing('BEARISH', 'SHORT'),
    status: 'ACCEPTED',
    reason: '90 contracts x $0.11 = $990 within $1,000 risk cap',
    notes: [],
    ...overrides,
  };
}

/** LONG TSLA: 3x Dec 18 $420 calls at $3.05 = $915, ACCEPTED in a BULLISH regime. */
export function tslaLongAccepted(): TradePlan {
  return {
    signal: signal('TSLA', 'LONG', 2.45, { price: 401.77 }),
    contract: contract('TSLA', 'call', 420, 3.05, new Date('2026-12-18T00:00:00Z')),
    contracts: 3,
    costUsd: 915,
    feesUsd: 1.95,
    totalUsd: 916.95,
    contractCostUsd: 305,
    sizing: sizing('BULLISH', 'LONG'),
    status: 'ACCEPTED',
    reason: '3 contracts x $3.05 = $915 + $1.95 fees = $916.95 within $1,000 risk cap',
    notes: ['Skipped 2 strikes with stale quotes'],
  };
}

/** SHORT MSTR: one $12.40 put costs $1,240, over the $1,000 cap: REJECTED. */
export function mstrShortRejected(): TradePlan {
  return {
    signal: signal('MSTR', 'SHORT', -2.7, { price: 231.5, dailyReturn: -0.0912, sigma: 0.034 }),
    contract: contract('MSTR', 'put', 220, 12.4),
    contracts: 0,
    costUsd: 0,
    feesUsd: 0,
    totalUsd: 0,
    contractCostUsd: 1240,
    sizing: sizing('BEARISH', 'SHORT'),
    status: 'REJECTED',
    reason: '1 contract costs $1,240 > $1,000 risk cap',
    notes: [],
  };
}

/** LONG AAPL in a BEARISH regime: long exposure 0.0x, REJECTED before sizing. */
export function aaplLongRejectedByRegime(): TradePlan {
  return {
    signal: signal('AAPL', 'LONG', 2.2, { price: 236.1, dailyReturn: 0.0311, sigma: 0.012 }),
    contract: contract('AAPL', 'call', 240, 1.85),
    contracts: 0,
    costUsd: 0,
    feesUsd: 0,
    totalUsd: 0,
    contractCostUsd: 185,
    sizing: sizing('BEARISH', 'LONG'),
    status: 'REJECTED',
    reason: 'BEARISH regime: long exposure 0.0x',
    notes: [],
  };
}

export function result(plan: TradePlan): TickerResult {
  return { symbol: plan.signal.symbol, signal: plan.signal, plan };
}

export function quiet(symbol: string): TickerResult {
  return { symbol, signal: null, plan: null };
}

export function report(results: TickerResult[], overrides: Partial<CycleReport> = {}): CycleReport {
  return {
    source: 'yahoo',
    modeled: false,
    startedAt: new Date('2026-11-20T20:45:00Z'),
    regime: regime('BEARISH'),
    results,
    stats: {
      scanned: 100,
      signals: results.filter((r) => r.signal).length,
      accepted: results.filter((r) => r.plan?.status === 'ACCEPTED').length,
      rejected: results.filter((r) => r.plan?.status === 'REJECTED').length,
      errors: results.filter((r) => r.error).length,
      durationMs: 2345,
      upstreamRequests: 212,
    },
    ...overrides,
  };
}

/** A BEARISH cycle with four signals (two accepted, two rejected), two quiet tickers and one error. */
export function busyReport(): CycleReport {
  const coin: TradePlan = nflxShortAccepted({
    signal: signal('COIN', 'SHORT', -2.41, { price: 265.4 }),
    contract: contract('COIN', 'put', 240, 0.45),
    contracts: 22,
    costUsd: 990,
    contractCostUsd: 45,
    reason: '22 contracts x $0.45 = $990 within $1,000 risk cap',
  });
  return report([
    quiet('MSFT'),
    result(aaplLongRejectedByRegime()),
    result(coin),
    result(mstrShortRejected()),
    { symbol: 'XYZ', signal: null, plan: null, error: { kind: 'not_found', message: 'unknown ticker XYZ' } },
    result(nflxShortAccepted()),
    quiet('GOOG'),
  ]);
}

/** `msg` with a /scan chart (the chart tests' fixture: 60 sessions, band, strike, modeled). */
export function withChart<M extends object>(msg: M, fileName = 'NFLX-scan.png'): M & { chart: MessageChart } {
  return { ...msg, chart: { svg: scanChartSvg(scanInput()), fileName, alt: 'NFLX: the last 60 closes with the ±2σ band' } };
}
