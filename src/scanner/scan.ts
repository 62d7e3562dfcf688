/**
 * The parallel scanner: daily bars for every ticker with at most `concurrency` requests in flight, a
 * breakout reading per ticker, and for signals at once (not after all bars) an option chain, a contract
 * pick and a sized plan. A failing ticker never stops the scan: it is listed with its error kind.
 *
 * Every data request goes through one priority queue (p-queue): a slot is held only while a request is
 * in flight, and chain requests jump ahead of the charts still waiting, so a signal's chain starts as
 * soon as it signals and nobody holds a slot while waiting for something else (the regime, a crumb).
 * One exception: behind the cache, the provider's warm-up (Yahoo's crumb: two requests, one after the
 * other, once per cold start) runs beside the queue, started by the first answer the cache does not have.
 */
import PQueue from 'p-queue';
import { completedBars } from '../analysis/calendar.ts';
import { readBreakout, type BreakoutConfig, type BreakoutReading } from '../analysis/volatility.ts';
import type { Bar, Regime, Signal } from '../core/types.ts';
import { MarketDataError } from '../core/errors.ts';
import { fridayExpiries } from '../market/modeled-chain.ts';
import type { MarketData } from '../market/provider.ts';
import type { OptionChain } from '../market/types.ts';
import { pickContract, pickExpiry, type PickConfig } from '../trading/options.ts';
import { sizeTrade, type RiskConfig } from '../trading/risk.ts';
import type { ScanProgress, ScanStats, TickerResult } from './types.ts';

export type ScanDeps = {
  market: MarketData;
  concurrency: number;
  breakout: BreakoutConfig;
  pick: PickConfig;
  risk: RiskConfig;
  /** The trading day (00:00 UTC) an order would fill on: expiries and days to expiry count from it. */
  asOf: () => Date;
  /** Open risk already committed, per the ledger; 0 without one. */
  openRiskUsd?: () => number;
  /**
   * Signals already traded: "SYMBOL|SIDE" of each open position, and "SYMBOL|SIDE|YYYY-MM-DD" (the signal's
   * date) of every recent position, open or closed.
   */
  held?: () => readonly string[];
  /**
   * Replaces the breakout as the source of signals while keeping everything after it (pick, sizing, ledger):
   * a backtest's control trades seeded random entries through this. Default: the breakout reading's signal.
   */
  signalSource?: (symbol: string, reading: BreakoutReading, breakout: Signal | null) => Signal | null;
  /** Wall clock: which sessions have closed. Default: the real time. */
  now?: () => Date;
  /** Monotonic clock for durations (ms). */
  elapsedMs?: () => number;
  /** The provider's HTTP request counter, when it has one. */
  upstreamRequests?: () => number;
  /** The request queue shared by a cycle's fetches (default: a new one of `concurrency`). */
  queue?: PQueue;
  /** Resolves once the provider is ready for chain requests (see MarketData.prepare). */
  chainsReady?: Promise<void>;
  /** Called once at the start and after each ticker finishes (a terminal's progress line). */
  onProgress?: (progress: ScanProgress) => void;
};

/** Higher runs first: the regime gates every plan, and a chain finishes a ticker that already signalled. */
export const FETCH_PRIORITY = { bars: 0, chain: 1, regime: 2 } as const;

export const createFetchQueue = (concurrency: number) => new PQueue({ concurrency });

/** Calendar days of bars to ask for: enough trading days for the lookback plus weekends and holidays. */
export const lookbackCalendarDays = (lookback: number) => Math.ceil((lookback + 2) * 1.5) + 10;

/**
 * Sessions a ticker's chart shows (notify/chart-message.ts). The scan asks for that many more bars than the
 * decision needs, in the same single request, so a /scan or trade alert chart draws the bars the decision saw
 * with their ±kσ band from the first session on; the decision itself reads only the last lookback + 2.
 */
export const CHART_SESSIONS = 60;

/** Bars kept on a result for its chart: the charted sessions and the returns their first band needs. */
const chartBarCount = (lookback: number) => CHART_SESSIONS + lookback + 1;

/**
 * The chain for the nearest weekly expiry at least minDays away. Asks for the expected Friday first (one
 * request in the usual case); if that is not listed, falls back to the listed expiries.
 */
async function chainFor(market: MarketData, symbol: string, asOf: Date, pick: PickConfig, queue: PQueue): Promise<OptionChain> {
  const fetchChain = (expiry?: Date) => queue.add(() => market.optionChain(symbol, expiry), { priority: FETCH_PRIORITY.chain });
  const expected = pickExpiry(fridayExpiries(asOf, 3), asOf, pick.minDaysToExpiry);
  const first = await fetchChain(expected ?? undefined);
  const listed = first.calls.length + first.puts.length > 0 && expected && first.expiry.getTime() === expected.getTime();
  if (listed) return first;
  const fallback = pickExpiry(first.expiries, asOf, pick.minDaysToExpiry);
  if (!fallback || fallback.getTime() === first.expiry.getTime()) return first;
  return fetchChain(fallback);
}

function errorOf(err: unknown): NonNullable<TickerResult['error']> {
  if (err instanceof MarketDataError) return { kind: err.kind, message: err.message };
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/** Plan a trade for a signal: chain, contract pick, sizing. Errors become a REJECTED-free error result. */
async function planFor(signal: Signal, regime: Regime, deps: ScanDeps, queue: PQueue) {
  await deps.chainsReady;
  const chain = await chainFor(deps.market, signal.symbol, deps.asOf(), deps.pick, queue);
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

/**
 * Scan one ticker. The regime may still be in flight: it is awaited only once the ticker signals, so a
 * cycle fetches SPY/^VIX and the universe's bars together.
 */
export async function scanTicker(symbol: string, regime: Regime | Promise<Regime>, deps: ScanDeps): Promise<TickerResult> {
  const queue = deps.queue ?? createFetchQueue(deps.concurrency);
  let reading;
  let bars: Bar[];
  try {
    const days = lookbackCalendarDays(deps.breakout.lookback + CHART_SESSIONS);
    // Completed sessions only: a live feed's partial bar of today would change the signal every cycle.
    const all = completedBars(await queue.add(() => deps.market.dailyBars(symbol, days), { priority: FETCH_PRIORITY.bars }), deps.now?.() ?? new Date());
    reading = readBreakout(symbol, all, deps.breakout);
    bars = all.slice(-chartBarCount(deps.breakout.lookback));
  } catch (err) {
    return { symbol, signal: null, plan: null, error: errorOf(err) };
  }
  const detected = reading.status === 'insufficient-data' ? null : reading.signal;
  const signal = deps.signalSource ? deps.signalSource(symbol, reading, detected) : detected;
  if (!signal) return { symbol, reading, bars, signal: null, plan: null };
  try {
    return { symbol, reading, bars, signal, plan: await planFor(signal, await regime, deps, queue) };
  } catch (err) {
    // The signal stands even when its option chain could not be had; say why there is no plan.
    return { symbol, reading, bars, signal, plan: null, error: errorOf(err) };
  }
}

export async function scanUniverse(
  symbols: readonly string[],
  regime: Regime | Promise<Regime>,
  deps: ScanDeps,
): Promise<{ results: TickerResult[]; stats: ScanStats }> {
  const elapsed = deps.elapsedMs ?? (() => performance.now());
  const started = elapsed();
  const requestsBefore = deps.upstreamRequests?.() ?? 0;
  const queue = deps.queue ?? createFetchQueue(deps.concurrency);
  const chainsReady =
    deps.chainsReady ?? (deps.market.prepare ? queue.add(() => deps.market.prepare!(), { priority: FETCH_PRIORITY.regime }) : undefined);
  const progress: ScanProgress = { done: 0, total: symbols.length, errors: 0, signals: 0 };
  const report = deps.onProgress ? (r: TickerResult) => {
    progress.done++;
    if (r.error) progress.errors++;
    if (r.signal) progress.signals++;
    deps.onProgress!({ ...progress });
    return r;
  } : (r: TickerResult) => r;
  deps.onProgress?.({ ...progress });
  const results = await Promise.all(symbols.map((symbol) => scanTicker(symbol, regime, { ...deps, queue, chainsReady }).then(report)));
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
