/**
 * @module The numbers of one backtest run: return and risk of its daily equity curve (empyrical's
 * definitions, analysis/metrics.ts), its closed trades, why plans were refused, and how often money was
 * at work. Pure.
 */
import { maxDrawdown } from '../analysis/drawdown.ts';
import {
  annualVolatility, cagr, calmarRatio, exposure, returnsFromEquity, sharpeRatio, sortinoRatio, totalReturn, TRADING_DAYS_PER_YEAR,
} from '../analysis/metrics.ts';
import { tradeStats, type TradeStats } from '../analysis/trade-stats.ts';
import type { BacktestDecision, BacktestRun } from './engine.ts';

export type CurveMetrics = {
  startUsd: number;
  endUsd: number;
  days: number;
  totalReturn: number | null;
  cagr: number | null;
  annualVolatility: number | null;
  maxDrawdown: { drawdown: number; peakDate: string | undefined; troughDate: string | undefined } | null;
  sharpe: number | null;
  sortino: number | null;
  calmar: number | null;
};

export type RunMetrics = CurveMetrics & {
  trades: TradeStats;
  /**
   * Mean P&L of a closed trade per dollar it cost (premium + entry commission): how a run compares with
   * another when both compound their accounts to nothing, where total returns all read -99%.
   */
  meanTradeReturn: number | null;
  /** Plans made, refused, and the refusals by reason. */
  plans: { total: number; rejected: number; byReason: Record<string, number> };
  /** Share of sessions that ended with a position open. */
  exposure: number | null;
};

/** Sharpe's and Sortino's risk-free rate, stated with every report. */
export const RISK_FREE_ANNUAL = 0;

/** Metrics of an equity curve (`dates[i]` is the day of `equityUsd[i]`; the first point is the start). */
export function curveMetrics(equityUsd: readonly number[], dates: readonly string[]): CurveMetrics {
  const returns = returnsFromEquity(equityUsd);
  const dd = maxDrawdown(equityUsd, dates);
  const ratio = { riskFreeAnnual: RISK_FREE_ANNUAL, periodsPerYear: TRADING_DAYS_PER_YEAR };
  return {
    startUsd: equityUsd[0] ?? Number.NaN,
    endUsd: equityUsd.at(-1) ?? Number.NaN,
    days: returns.length,
    totalReturn: totalReturn(returns),
    cagr: cagr(returns),
    annualVolatility: annualVolatility(returns),
    maxDrawdown: dd ? { drawdown: dd.drawdown, peakDate: dd.peakDate, troughDate: dd.troughDate } : null,
    sharpe: sharpeRatio(returns, ratio),
    sortino: sortinoRatio(returns, ratio),
    calmar: calmarRatio(returns),
  };
}

/** A refusal's kind, for counting: the rule that said no, not the numbers it said it with. */
export function refusalKind(reason: string): string {
  if (/ regime: /.test(reason)) return 'regime: side not allowed';
  if (/open-risk limit in use/.test(reason)) return 'open-risk limit';
  if (/^1 contract costs /.test(reason)) return 'one contract over the cap';
  if (/MAX_NEW_POSITIONS/.test(reason)) return 'new positions per cycle';
  if (/^one name: /.test(reason)) return 'share class already sized';
  if (/^too thin to trade/.test(reason)) return 'liquidity';
  if (/^no tradable |nearest expiry/.test(reason)) return 'no tradable contract';
  return 'other';
}

function planCounts(decisions: readonly BacktestDecision[]): RunMetrics['plans'] {
  const byReason: Record<string, number> = {};
  const rejected = decisions.filter((d) => d.status === 'REJECTED');
  for (const d of rejected) byReason[refusalKind(d.reason)] = (byReason[refusalKind(d.reason)] ?? 0) + 1;
  return { total: decisions.length, rejected: rejected.length, byReason };
}

/** The run's curve starts at its starting equity, the day before its first session. */
export function runCurve(run: BacktestRun, from = 0, to = run.equity.length): { equityUsd: number[]; dates: string[] } {
  const points = run.equity.slice(from, to);
  const start = from === 0 ? run.startingEquityUsd : run.equity[from - 1]!.equityUsd;
  const startDate = from === 0 ? run.from : run.equity[from - 1]!.date;
  return { equityUsd: [start, ...points.map((p) => p.equityUsd)], dates: [startDate, ...points.map((p) => p.date)] };
}

export function runMetrics(run: BacktestRun, range: { from?: number; to?: number } = {}): RunMetrics {
  const from = range.from ?? 0;
  const to = range.to ?? run.equity.length;
  const { equityUsd, dates } = runCurve(run, from, to);
  const first = dates[0]!;
  const last = dates.at(-1)!;
  const inRange = (iso: string | undefined) => iso !== undefined && iso.slice(0, 10) > first && iso.slice(0, 10) <= last;
  const trades = run.trades.filter((p) => inRange(p.exit?.at));
  const tradeReturns = trades.map((p) => p.exit!.pnlUsd / (p.costUsd + p.entryCommissionUsd));
  return {
    ...curveMetrics(equityUsd, dates),
    meanTradeReturn: tradeReturns.length === 0 ? null : tradeReturns.reduce((a, b) => a + b, 0) / tradeReturns.length,
    trades: tradeStats(trades.map((p) => ({ pnlUsd: p.exit!.pnlUsd, feesUsd: p.entryCommissionUsd + p.exit!.commissionUsd }))),
    plans: planCounts(run.decisions.filter((d) => d.date >= first && d.date <= last)),
    exposure: exposure(run.equity.slice(from, to).map((p) => p.invested)),
  };
}
