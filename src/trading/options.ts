/**
 * Pick the option contract for a signal: a put for SHORT, a call for LONG, on the nearest weekly expiry at
 * least `minDaysToExpiry` calendar days away, with the strike whose |delta| is nearest the target among
 * contracts with a usable quote. Pure: the chain and the decision time come in as arguments.
 *
 * Spot is the chain's underlying price, unless the chain had only the previous close (a provider plan without
 * live stock prices): then the signal bar's close is fresher, and on a breakout day the two are far apart.
 */
import { bsGreeks, impliedVol } from '../analysis/black-scholes.ts';
import type { Signal } from '../core/types.ts';
import type { OptionChain, OptionContract } from '../market/types.ts';

const DAY_MS = 86_400_000;

export type PickConfig = {
  minDaysToExpiry: number;
  /** Absolute delta to aim for, e.g. 0.30. */
  targetDelta: number;
  /** Widest acceptable (ask - bid) as a percentage of mid. */
  maxSpreadPct: number;
  riskFreeRate: number;
};

export type ContractPick =
  | { contract: OptionContract; delta: number; notes: string[] }
  | { contract: null; reason: string; notes: string[] };

/** Whole calendar days from the decision date to the expiry date (both at 00:00 UTC of their day). */
export function daysToExpiry(expiry: Date, asOf: Date): number {
  const day = (d: Date) => Math.floor(d.getTime() / DAY_MS);
  return day(expiry) - day(asOf);
}

/** The first listed expiry at least `minDays` calendar days after `asOf`, or null. */
export function pickExpiry(expiries: readonly Date[], asOf: Date, minDays: number): Date | null {
  const sorted = [...expiries].sort((a, b) => a.getTime() - b.getTime());
  return sorted.find((e) => daysToExpiry(e, asOf) >= minDays) ?? null;
}

type Rejection = 'stale' | 'no-bid' | 'wide' | 'no-interest' | 'no-delta';

/** Why a quote is unusable, or null when it can be traded. */
function quoteProblem(c: OptionContract, spot: number, maxSpreadPct: number): Rejection | null {
  const intrinsic = c.right === 'call' ? Math.max(0, spot - c.strike) : Math.max(0, c.strike - spot);
  // An ask below intrinsic value, or ask < bid, cannot be a live market: the quote is stale.
  if (c.ask < c.bid || (c.ask > 0 && c.ask < intrinsic)) return 'stale';
  if (!(c.bid > 0)) return 'no-bid';
  const mid = (c.bid + c.ask) / 2;
  if (((c.ask - c.bid) / mid) * 100 > maxSpreadPct) return 'wide';
  if (!(c.openInterest > 0)) return 'no-interest';
  return null;
}

const PROBLEM_TEXT: Record<Rejection, string> = {
  stale: 'stale quote (ask below bid or below intrinsic value)',
  'no-bid': 'no bid',
  wide: 'spread too wide',
  'no-interest': 'no open interest',
  'no-delta': 'no implied volatility to compute delta',
};

/** Shown with a pick whose spot is the signal bar's close rather than the chain's previous close. */
export const SPOT_FROM_SIGNAL_NOTE = 'spot from the signal bar, the chain had only the previous close';

export function pickContract(signal: Signal, chain: OptionChain, asOf: Date, config: PickConfig): ContractPick {
  const right = signal.side === 'SHORT' ? 'put' : 'call';
  const candidates = right === 'put' ? chain.puts : chain.calls;
  const days = daysToExpiry(chain.expiry, asOf);
  if (days < config.minDaysToExpiry) {
    return { contract: null, reason: `nearest expiry is ${days} day(s) away, needs >= ${config.minDaysToExpiry}`, notes: [] };
  }
  const years = days / 365;
  // Deltas and the intrinsic-value check both read spot: the previous close would aim the 0.30-delta strike
  // at yesterday's price and call live quotes stale (or stale ones live) after a big move.
  const spotFromSignal =
    chain.underlyingPriceSource === 'previous-close' && signal.price > 0 && Number.isFinite(signal.price) && signal.price !== chain.underlyingPrice;
  const spot = spotFromSignal ? signal.price : chain.underlyingPrice;
  const skipped = new Map<Rejection, number>();
  let best: { contract: OptionContract; delta: number; distance: number } | null = null;
  for (const c of candidates) {
    let problem = quoteProblem(c, spot, config.maxSpreadPct);
    let delta = Number.NaN;
    if (!problem && c.delta !== undefined && Number.isFinite(c.delta) && !spotFromSignal) {
      delta = c.delta;
    } else if (!problem) {
      let vol = c.impliedVol;
      if (!(vol > 0)) {
        // Missing IV: recover it from the mid; a price with no IV is not guessed at.
        const iv = impliedVol({ right, spot, strike: c.strike, years, rate: config.riskFreeRate, price: (c.bid + c.ask) / 2 });
        vol = iv.ok ? iv.vol : Number.NaN;
      }
      if (vol > 0) delta = bsGreeks({ right, spot, strike: c.strike, years, rate: config.riskFreeRate, vol }).delta;
      if (!Number.isFinite(delta)) problem = 'no-delta';
    }
    if (problem) {
      skipped.set(problem, (skipped.get(problem) ?? 0) + 1);
      continue;
    }
    const distance = Math.abs(Math.abs(delta) - config.targetDelta);
    if (!best || distance < best.distance) best = { contract: c, delta, distance };
  }
  // Stale quotes are worth telling users about; empty far strikes (no bid) are normal and only noise.
  const notes = [
    ...(spotFromSignal ? [SPOT_FROM_SIGNAL_NOTE] : []),
    ...[...skipped]
      .filter(([problem]) => problem === 'stale')
      .map(([problem, n]) => `skipped ${n} ${right}${n === 1 ? '' : 's'}: ${PROBLEM_TEXT[problem]}`),
  ];
  if (!best) {
    const why = [...skipped].map(([problem, n]) => `${n} ${PROBLEM_TEXT[problem]}`).join(', ');
    return { contract: null, reason: `no tradable ${right} on ${chain.expiry.toISOString().slice(0, 10)}${why ? ` (${why})` : ''}`, notes };
  }
  return { contract: best.contract, delta: best.delta, notes };
}
