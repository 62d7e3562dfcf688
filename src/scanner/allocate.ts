/**
 * One cycle's plans share one risk budget. The scan sizes every signal in parallel against the open risk
 * at the start; this re-sizes the ACCEPTED ones one by one, strongest |z| first, each against the open risk
 * the ones before it took, so the alerts say what the ledger will really do. Pure.
 */
import type { Regime } from '../core/types.ts';
import { sizeTrade, type RiskConfig } from '../trading/risk.ts';
import type { ScanStats, TickerResult } from './types.ts';

export function allocateBudget(
  results: readonly TickerResult[],
  regime: Regime,
  risk: RiskConfig,
  openRiskStartUsd: number,
): TickerResult[] {
  const order = results
    .map((r, index) => ({ r, index }))
    .filter(({ r }) => r.plan?.status === 'ACCEPTED')
    .sort((a, b) => Math.abs(b.r.signal!.zScore) - Math.abs(a.r.signal!.zScore));
  const out = [...results];
  let openRiskUsd = openRiskStartUsd;
  for (const { r, index } of order) {
    const plan = r.plan!;
    const resized = sizeTrade(
      { signal: plan.signal, regime, contract: plan.contract ?? null, notes: plan.notes, openRiskUsd },
      risk,
    );
    if (resized.status === 'ACCEPTED') openRiskUsd += resized.costUsd;
    out[index] = { ...r, plan: resized };
  }
  return out;
}

/** Stats with accepted/rejected counted again after allocation. */
export function restat(stats: ScanStats, results: readonly TickerResult[]): ScanStats {
  const plans = results.flatMap((r) => (r.plan ? [r.plan] : []));
  return {
    ...stats,
    accepted: plans.filter((p) => p.status === 'ACCEPTED').length,
    rejected: plans.filter((p) => p.status === 'REJECTED').length,
  };
}
