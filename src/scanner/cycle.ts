/**
 * One full cycle: regime -> scan -> pick -> size, returned as a CycleReport for the later layers
 * (alerts, ledger, diary, CLI) to format. SPY and ^VIX are fetched once per cycle.
 */
import type { RegimeConfig } from '../analysis/regime.ts';
import type { Store } from '../store/store.ts';
import { allocateBudget, restat, type AllocationRules } from './allocate.ts';
import { assessRegime, readRegimeMemory, rememberRegime } from './regime.ts';
import { createFetchQueue, FETCH_PRIORITY, scanUniverse, type ScanDeps } from './scan.ts';
import type { CycleReport, TickerResult } from './types.ts';

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
  const memory = await readRegimeMemory(deps.store);
  const requestsBefore = deps.upstreamRequests?.() ?? 0;
  // Bars for the universe are fetched while the regime is assessed; sizing waits for the regime.
  // One queue for the whole cycle: SPY/^VIX count against SCAN_CONCURRENCY like every other fetch.
  const queue = deps.queue ?? createFetchQueue(deps.concurrency);
  const schedule = <T>(fetch: () => Promise<T>) => queue.add(fetch, { priority: FETCH_PRIORITY.regime });
  const regimePending = assessRegime(deps.market, deps.regime, { asOf: deps.asOf(), now: deps.now(), memory, schedule });
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
  if (!deps.readOnly) await rememberRegime(deps.store, regime, memory);
  return {
    source: deps.market.name,
    modeled: results.some((r) => r.plan?.contract?.modeled),
    startedAt,
    regime,
    results,
    stats,
  };
}

/** `report` without each result's chart bars: what is stored for /status and kept small in the store. */
export function withoutBars(report: CycleReport): CycleReport {
  return { ...report, results: report.results.map(({ bars: _bars, ...r }) => r) };
}
