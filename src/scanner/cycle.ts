/**
 * One full cycle: regime -> scan -> pick -> size, returned as a CycleReport for the later layers
 * (alerts, ledger, diary, CLI) to format. SPY and ^VIX are fetched once per cycle.
 */
import { classifyRegime, type RegimeConfig } from '../analysis/regime.ts';
import type { Regime, RegimeState } from '../analysis/types.ts';
import type { MarketData } from '../market/provider.ts';
import type { Bar } from '../market/types.ts';
import type { Store } from '../store/store.ts';
import { scanUniverse, type ScanDeps } from './scan.ts';
import type { CycleReport } from './types.ts';

/** Where the last regime state is kept, so hysteresis survives restarts. */
export const REGIME_STATE_KEY = 'hx:regime:state';

const REGIME_STATES = new Set<RegimeState>(['BULLISH', 'NEUTRAL', 'BEARISH']);

async function barsOrReason(market: MarketData, symbol: string, days: number): Promise<{ bars: Bar[]; problem?: string }> {
  try {
    return { bars: await market.dailyBars(symbol, days) };
  } catch (err) {
    return { bars: [], problem: `${symbol} data unavailable: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The regime from SPY and ^VIX as known now. Missing data gives NEUTRAL with the reason said. */
export async function assessRegime(market: MarketData, config: RegimeConfig, previous?: RegimeState): Promise<Regime> {
  const [spy, vix] = await Promise.all([
    barsOrReason(market, 'SPY', Math.ceil(config.smaDays * 1.6) + 10),
    barsOrReason(market, '^VIX', 30),
  ]);
  const regime = classifyRegime({ vix: vix.bars, spy: spy.bars, previous }, config);
  const problems = [spy.problem, vix.problem].filter((p): p is string => p !== undefined);
  return problems.length > 0 ? { ...regime, reasons: [...problems, ...regime.reasons] } : regime;
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
  now: () => Date;
};

export async function runCycle(deps: CycleDeps): Promise<CycleReport> {
  const startedAt = deps.now();
  const previous = await readPreviousRegime(deps.store);
  const regime = await assessRegime(deps.market, deps.regime, previous);
  const { results, stats } = await scanUniverse(deps.universe, regime, deps);
  await deps.store?.set(REGIME_STATE_KEY, regime.state).catch(() => undefined);
  return {
    source: deps.market.name,
    modeled: results.some((r) => r.plan?.contract?.modeled),
    startedAt,
    regime,
    results,
    stats,
  };
}
