/**
 * One full cycle: regime -> scan -> pick -> size, returned as a CycleReport for the later layers
 * (alerts, ledger, diary, CLI) to format. SPY and ^VIX are fetched once per cycle.
 */
import { classifyRegime, type RegimeConfig } from '../analysis/regime.ts';
import type { Regime, RegimeState, Bar } from '../core/types.ts';
import type { MarketData } from '../market/provider.ts';
import type { Store } from '../store/store.ts';
import { allocateBudget, restat, type AllocationRules } from './allocate.ts';
import { createFetchQueue, FETCH_PRIORITY, scanUniverse, type ScanDeps } from './scan.ts';
import type { CycleReport, TickerResult } from './types.ts';

/** Where the last regime state is kept, so hysteresis survives restarts. */
export const REGIME_STATE_KEY = 'hx:regime:state';

const REGIME_STATES = new Set<RegimeState>(['BULLISH', 'NEUTRAL', 'BEARISH']);

type Schedule = <T>(fetch: () => Promise<T>) => Promise<T>;

async function barsOrReason(market: MarketData, symbol: string, days: number, schedule: Schedule): Promise<{ bars: Bar[]; problem?: string }> {
  try {
    return { bars: await schedule(() => market.dailyBars(symbol, days)) };
  } catch (err) {
    return { bars: [], problem: `${symbol} data unavailable: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * The regime from SPY and ^VIX as known now. Missing data gives NEUTRAL with the reason said, dated
 * `asOf` (the decision day) since no bar can date it. `schedule` runs each fetch, e.g. through the cycle's
 * request queue.
 */
export async function assessRegime(
  market: MarketData,
  config: RegimeConfig,
  opts: { asOf: Date; previous?: RegimeState; schedule?: Schedule },
): Promise<Regime> {
  const schedule: Schedule = opts.schedule ?? ((fetch) => fetch());
  const [spy, vix] = await Promise.all([
    barsOrReason(market, 'SPY', Math.ceil(config.smaDays * 1.6) + 10, schedule),
    barsOrReason(market, '^VIX', 30, schedule),
  ]);
  const regime = classifyRegime({ vix: vix.bars, spy: spy.bars, previous: opts.previous }, config);
  const problems = [spy.problem, vix.problem].filter((p): p is string => p !== undefined);
  const asOf = Number.isNaN(regime.asOf.getTime()) ? opts.asOf : regime.asOf;
  const degraded = problems.length > 0 || !Number.isFinite(regime.vix) || !Number.isFinite(regime.spySma);
  return { ...regime, asOf, reasons: [...problems, ...regime.reasons], ...(degraded ? { degraded } : {}) };
}

export async function readPreviousRegime(store: Store | undefined): Promise<RegimeState | undefined> {
  const value = await store?.get(REGIME_STATE_KEY).catch(() => null);
  return value && REGIME_STATES.has(value as RegimeState) ? (value as RegimeState) : undefined;
}

export type CycleDeps = ScanDeps & {
  universe: readonly string[];
  regime: RegimeConfig;
  /** Keeps the previous regime for hysteresis; optional (the CLI runs without state). */
  store?: Store;
  /** Read the previous regime but do not record this one (the CLI next to a running bot). */
  readOnly?: boolean;
  /** One name per company, and at most N new positions a cycle. */
  allocation?: AllocationRules;
  now: () => Date;
};

export async function scanCycle(deps: CycleDeps): Promise<CycleReport> {
  const startedAt = deps.now();
  const previous = await readPreviousRegime(deps.store);
  const requestsBefore = deps.upstreamRequests?.() ?? 0;
  // Bars for the universe are fetched while the regime is assessed; sizing waits for the regime.
  // One queue for the whole cycle: SPY/^VIX count against SCAN_CONCURRENCY like every other fetch.
  const queue = deps.queue ?? createFetchQueue(deps.concurrency);
  const schedule = <T>(fetch: () => Promise<T>) => queue.add(fetch, { priority: FETCH_PRIORITY.regime });
  const regimePending = assessRegime(deps.market, deps.regime, { asOf: deps.asOf(), previous, schedule });
  const scan = await scanUniverse(deps.universe, regimePending, { ...deps, queue });
  const regime = await regimePending;
  const issuerOf = deps.allocation?.issuerOf ?? ((symbol: string) => symbol);
  // "SYMBOL|SIDE" of open positions count per company (share classes are one name); "SYMBOL|SIDE|DATE" per signal.
  const held = new Set((deps.held?.() ?? []).map((key) => (key.split('|').length === 2 ? `${issuerOf(key.split('|')[0]!)}|${key.split('|')[1]}` : key)));
  // A signal already traded (its position open, or closed since) is not sized again: it would take budget from
  // new ones, and the ledger would refuse it anyway.
  const isHeld = (r: TickerResult) =>
    r.signal !== null &&
    (held.has(`${issuerOf(r.symbol)}|${r.signal.side}`) || held.has(`${r.symbol}|${r.signal.side}|${r.signal.asOf.toISOString().slice(0, 10)}`));
  const fresh = scan.results.map((r) => (isHeld(r) ? { ...r, plan: null, held: true } : r));
  const results = allocateBudget(fresh, regime, deps.risk, deps.openRiskUsd?.() ?? 0, deps.allocation);
  // Count the regime's requests too: the cycle's cost is what the data provider saw.
  const stats = restat({ ...scan.stats, upstreamRequests: (deps.upstreamRequests?.() ?? 0) - requestsBefore }, results);
  if (!deps.readOnly && !regime.degraded) await deps.store?.set(REGIME_STATE_KEY, regime.state).catch(() => undefined);
  return {
    source: deps.market.name,
    modeled: results.some((r) => r.plan?.contract?.modeled),
    startedAt,
    regime,
    results,
    stats,
  };
}
