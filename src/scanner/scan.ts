/**
 * The parallel scanner: daily bars for every ticker with at most `concurrency` requests in flight, a
 * breakout reading per ticker, and for signals at once (not after all bars) an option chain, a contract
 * pick and a sized plan. A failing ticker never stops the scan: it is listed with its error kind.
 */
import pLimit from 'p-limit';
import { readBreakout, type BreakoutConfig } from '../analysis/volatility.ts';
import type { Regime, Signal } from '../analysis/types.ts';
import { MarketDataError } from '../errors.ts';
import { fridayExpiries } from '../market/modeled-chain.ts';
import type { MarketData } from '../market/provider.ts';
import type { OptionChain } from '../market/types.ts';
import { pickContract, pickExpiry, type PickConfig } from '../trading/options.ts';
import { sizeTrade, type RiskConfig } from '../trading/risk.ts';
import type { ScanStats, TickerResult } from './types.ts';

export type ScanDeps = {
  market: MarketData;
  concurrency: number;
  breakout: BreakoutConfig;
  pick: PickConfig;
  risk: RiskConfig;
  /** Decision time: the trading day (00:00 UTC) whose bars are the latest known. */
  asOf: () => Date;
  /** Open risk already committed, per the ledger; 0 without one. */
  openRiskUsd?: () => number;
  /** Monotonic clock for durations (ms). */
  elapsedMs?: () => number;
  /** The provider's HTTP request counter, when it has one. */
  upstreamRequests?: () => number;
};

/** Calendar days of bars to ask for: enough trading days for the lookback plus weekends and holidays. */
export const lookbackCalendarDays = (lookback: number) => Math.ceil((lookback + 2) * 1.5) + 10;

/**
 * The chain for the nearest weekly expiry at least minDays away. Asks for the expected Friday first (one
 * request in the usual case); if that is not listed, falls back to the listed expiries.
 */
async function chainFor(market: MarketData, symbol: string, asOf: Date, pick: PickConfig): Promise<OptionChain> {
  const expected = pickExpiry(fridayExpiries(asOf, 3), asOf, pick.minDaysToExpiry);
  const first = await market.optionChain(symbol, expected ?? undefined);
  const listed = first.calls.length + first.puts.length > 0 && expected && first.expiry.getTime() === expected.getTime();
  if (listed) return first;
  const fallback = pickExpiry(first.expiries, asOf, pick.minDaysToExpiry);
  if (!fallback || fallback.getTime() === first.expiry.getTime()) return first;
  return market.optionChain(symbol, fallback);
}

function errorOf(err: unknown): NonNullable<TickerResult['error']> {
  if (err instanceof MarketDataError) return { kind: err.kind, message: err.message };
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/** Plan a trade for a signal: chain, contract pick, sizing. Errors become a REJECTED-free error result. */
async function planFor(signal: Signal, regime: Regime, deps: ScanDeps) {
  const chain = await chainFor(deps.market, signal.symbol, deps.asOf(), deps.pick);
  const pick = pickContract(signal, chain, deps.asOf(), deps.pick);
  return sizeTrade(
    {
      signal,
      regime,
      contract: pick.contract,
      pickReason: pick.contract ? undefined : pick.reason,
      notes: pick.notes,
      openRiskUsd: deps.openRiskUsd?.() ?? 0,
    },
    deps.risk,
  );
}

export async function scanTicker(symbol: string, regime: Regime, deps: ScanDeps): Promise<TickerResult> {
  let reading;
  try {
    const bars = await deps.market.dailyBars(symbol, lookbackCalendarDays(deps.breakout.lookback));
    reading = readBreakout(symbol, bars, deps.breakout);
  } catch (err) {
    return { symbol, signal: null, plan: null, error: errorOf(err) };
  }
  const signal = reading.status === 'insufficient-data' ? null : reading.signal;
  if (!signal) return { symbol, reading, signal: null, plan: null };
  try {
    return { symbol, reading, signal, plan: await planFor(signal, regime, deps) };
  } catch (err) {
    // The signal stands even when its option chain could not be had; say why there is no plan.
    return { symbol, reading, signal, plan: null, error: errorOf(err) };
  }
}

export async function scanUniverse(
  symbols: readonly string[],
  regime: Regime,
  deps: ScanDeps,
): Promise<{ results: TickerResult[]; stats: ScanStats }> {
  const elapsed = deps.elapsedMs ?? (() => performance.now());
  const started = elapsed();
  const requestsBefore = deps.upstreamRequests?.() ?? 0;
  const limit = pLimit(deps.concurrency);
  const results = await Promise.all(symbols.map((symbol) => limit(() => scanTicker(symbol, regime, deps))));
  const plans = results.flatMap((r) => (r.plan ? [r.plan] : []));
  return {
    results,
    stats: {
      scanned: results.length,
      signals: results.filter((r) => r.signal).length,
      accepted: plans.filter((p) => p.status === 'ACCEPTED').length,
      rejected: plans.filter((p) => p.status === 'REJECTED').length,
      errors: results.filter((r) => r.error).length,
      durationMs: elapsed() - started,
      upstreamRequests: (deps.upstreamRequests?.() ?? 0) - requestsBefore,
    },
  };
}
