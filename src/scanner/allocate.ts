/**
 * One cycle's plans share one risk budget. The scan sizes every signal in parallel against the open risk
 * at the start; this re-sizes the ACCEPTED ones one by one, strongest |z| first, each against the open risk
 * the ones before it took, so the alerts say what the ledger will really do. Share classes of one company
 * count as one name, and a cycle opens at most `maxNewPositions`. Pure.
 */
import type { Regime } from '../core/types.ts';
import { sizeTrade, type RiskConfig } from '../trading/risk.ts';
import type { ScanStats, TickerResult } from './types.ts';

/** The one-name and per-cycle limits of an allocation. */
export type AllocationRules = {
  /** The company a ticker belongs to (share classes count as one name). Default: the ticker itself. */
  issuerOf?: (symbol: string) => string;
  /** At most this many new positions per cycle (MAX_NEW_POSITIONS). Default: no limit. */
  maxNewPositions?: number;
};

export function allocateBudget(
  results: readonly TickerResult[],
  regime: Regime,
  risk: RiskConfig,
  openRiskStartUsd: number,
  rules: AllocationRules = {},
): TickerResult[] {
  const issuerOf = rules.issuerOf ?? ((symbol: string) => symbol);
  const order = results
    .map((r, index) => ({ r, index }))
    .filter(({ r }) => r.plan?.status === 'ACCEPTED')
    .sort((a, b) => Math.abs(b.r.signal!.zScore) - Math.abs(a.r.signal!.zScore));
  const out = [...results];
  let openRiskUsd = openRiskStartUsd;
  const sizedBy = new Map<string, string>();
  let opened = 0;
  for (const { r, index } of order) {
    const plan = r.plan!;
    const issuer = issuerOf(plan.signal.symbol);
    const first = sizedBy.get(issuer);
    const refuse = (reason: string) => ({ ...plan, status: 'REJECTED' as const, contracts: 0, costUsd: 0, feesUsd: 0, totalUsd: 0, reason });
    if (first) {
      out[index] = { ...r, plan: refuse(`one name: ${plan.signal.symbol} and ${first} are share classes of one company, and ${first} was sized first`) };
      continue;
    }
    if (rules.maxNewPositions !== undefined && opened >= rules.maxNewPositions) {
      out[index] = { ...r, plan: refuse(`${rules.maxNewPositions} new positions this cycle already (MAX_NEW_POSITIONS)`) };
      continue;
    }
    const resized = sizeTrade(
      { signal: plan.signal, regime, contract: plan.contract ?? null, notes: plan.notes, openRiskUsd },
      risk,
    );
    if (resized.status === 'ACCEPTED') {
      openRiskUsd += resized.totalUsd;
      sizedBy.set(issuer, plan.signal.symbol);
      opened += 1;
    }
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
