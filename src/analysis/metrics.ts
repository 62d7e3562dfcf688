/**
 * @module Performance metrics of a return series, defined as empyrical defines them
 * (quantopian/empyrical `empyrical/stats.py` @40f61b4) and tested against its values.
 *
 * Conventions:
 * - Returns are simple per-period fractions (0.01 = +1%), one per trading day, oldest first.
 * - annualisation: 252 periods a year (`TRADING_DAYS_PER_YEAR`) unless `periodsPerYear` says otherwise.
 * - NaN marks a missing period and is treated as empyrical does: means and standard deviations skip it,
 *   compounding treats it as 0 (flat), and CAGR still counts it as a period.
 * - `riskFreeAnnual` is an annual rate as a fraction (0.05 = 5%/yr), turned into a per-period rate by
 *   geometric de-annualisation, `perPeriodRate`: (1 + riskFreeAnnual)^(1/periodsPerYear) - 1. empyrical
 *   itself takes the per-period rate; both agree at 0 (the default).
 * - A metric that is undefined for the input (too few values, zero deviation, no drawdown) is `null`,
 *   never NaN or ±Infinity, so a report can print "n/a" and JSON keeps it.
 * - Returns below -1 (losing more than everything) or ±Infinity throw a RangeError.
 */
import { mean, sampleStdDev } from './indicators.ts';
import { maxDrawdown } from './drawdown.ts';

/** Trading days a year: the annualisation factor for daily returns (empyrical DAILY, LEAN default). */
export const TRADING_DAYS_PER_YEAR = 252;

/** Options of the risk-adjusted ratios. */
export type RatioOptions = {
  /** Annual risk-free rate (Sharpe) or minimum acceptable return (Sortino), fraction per year; default 0. */
  riskFreeAnnual?: number;
  /** Periods a year; default 252 (daily). */
  periodsPerYear?: number;
};

function checkReturns(returns: readonly number[]): void {
  returns.forEach((r, i) => {
    if (Number.isNaN(r)) return;
    if (!Number.isFinite(r) || r < -1) throw new RangeError(`returns[${i}] must be a fraction >= -1 or NaN, got ${r}`);
  });
}

function checkPeriodsPerYear(periodsPerYear: number): void {
  if (!Number.isFinite(periodsPerYear) || periodsPerYear <= 0) {
    throw new RangeError(`periodsPerYear must be a finite number > 0, got ${periodsPerYear}`);
  }
}

/** The non-NaN returns, after checking them all. */
function present(returns: readonly number[]): number[] {
  checkReturns(returns);
  return returns.filter((r) => !Number.isNaN(r));
}

/** True when the values have no spread at all (compared exactly: a computed std would be ~1e-17, not 0). */
const allEqual = (xs: readonly number[]): boolean => xs.every((x) => x === xs[0]);

/**
 * An annual rate as the per-period rate that compounds to it: (1 + annualRate)^(1/periodsPerYear) - 1.
 * 5%/yr over 252 days is 0.01936% a day.
 */
export function perPeriodRate(annualRate: number, periodsPerYear: number = TRADING_DAYS_PER_YEAR): number {
  checkPeriodsPerYear(periodsPerYear);
  if (!Number.isFinite(annualRate) || annualRate <= -1) throw new RangeError(`annual rate must be finite and > -1, got ${annualRate}`);
  return Math.pow(1 + annualRate, 1 / periodsPerYear) - 1;
}

/**
 * The equity curve of compounding `returns` from `start`: length returns.length + 1, with equity[0] =
 * start and equity[i + 1] after returns[i]. NaN counts as a flat period (empyrical `cum_returns`).
 */
export function equityFromReturns(returns: readonly number[], start = 1): number[] {
  checkReturns(returns);
  if (!Number.isFinite(start) || start <= 0) throw new RangeError(`start equity must be a finite number > 0, got ${start}`);
  const equity = [start];
  for (const r of returns) equity.push(equity[equity.length - 1]! * (1 + (Number.isNaN(r) ? 0 : r)));
  return equity;
}

/**
 * Simple returns of an equity curve, equity[i + 1] / equity[i] - 1: one fewer than the values.
 * @throws RangeError when a value is not finite or not > 0 (a zero would make the next return undefined).
 */
export function returnsFromEquity(equity: readonly number[]): number[] {
  equity.forEach((value, i) => {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`equity[${i}] must be a finite number > 0, got ${value}`);
  });
  return equity.slice(1).map((value, i) => value / equity[i]! - 1);
}

/** Compounded total return, prod(1 + r) - 1 (empyrical `cum_returns_final`). null for no returns. */
export function totalReturn(returns: readonly number[]): number | null {
  checkReturns(returns);
  if (returns.length === 0) return null;
  return returns.reduce((growth, r) => growth * (1 + (Number.isNaN(r) ? 0 : r)), 1) - 1;
}

/**
 * Compound annual growth rate (empyrical `annual_return`): (1 + totalReturn)^(periodsPerYear / N) - 1,
 * where N = returns.length INCLUDING NaN periods. A fraction per year (1.5 = +150%/yr). null for no returns.
 */
export function cagr(returns: readonly number[], periodsPerYear: number = TRADING_DAYS_PER_YEAR): number | null {
  checkPeriodsPerYear(periodsPerYear);
  const total = totalReturn(returns);
  if (total === null) return null;
  return Math.pow(1 + total, periodsPerYear / returns.length) - 1;
}

/**
 * LEAN's annual performance (`Statistics.AnnualPerformance`): (1 + mean(r))^periodsPerYear - 1, the
 * arithmetic mean compounded for a year; NaN periods skipped. null when there is no return.
 */
export function annualizedMeanReturn(returns: readonly number[], periodsPerYear: number = TRADING_DAYS_PER_YEAR): number | null {
  checkPeriodsPerYear(periodsPerYear);
  const xs = present(returns);
  if (xs.length === 0) return null;
  return Math.pow(1 + mean(xs), periodsPerYear) - 1;
}

/**
 * Annual volatility (empyrical `annual_volatility`): SAMPLE standard deviation (ddof = 1, divides by N - 1)
 * of the non-NaN returns × sqrt(periodsPerYear). A fraction per year. null for fewer than 2 returns.
 */
export function annualVolatility(returns: readonly number[], periodsPerYear: number = TRADING_DAYS_PER_YEAR): number | null {
  checkPeriodsPerYear(periodsPerYear);
  const xs = present(returns);
  if (xs.length < 2) return null;
  return sampleStdDev(xs) * Math.sqrt(periodsPerYear);
}

/**
 * Annualised Sharpe ratio (empyrical `sharpe_ratio`): mean(r - rf) / sampleStd(r - rf) × sqrt(periodsPerYear),
 * rf = perPeriodRate(riskFreeAnnual). null for fewer than 2 returns or when every excess return is equal.
 */
export function sharpeRatio(returns: readonly number[], options: RatioOptions = {}): number | null {
  const { riskFreeAnnual = 0, periodsPerYear = TRADING_DAYS_PER_YEAR } = options;
  const rf = perPeriodRate(riskFreeAnnual, periodsPerYear);
  const excess = present(returns).map((r) => r - rf);
  if (excess.length < 2 || allEqual(excess)) return null;
  return (mean(excess) / sampleStdDev(excess)) * Math.sqrt(periodsPerYear);
}

/**
 * Annualised downside risk (empyrical `downside_risk`): sqrt(mean(min(r - mar, 0)^2)) × sqrt(periodsPerYear),
 * the mean taken over ALL non-NaN periods (a period above the threshold counts as 0), mar =
 * perPeriodRate(riskFreeAnnual). Not LEAN's definition (sample std of the negative returns only).
 * A fraction per year; 0 when no return is below mar; null when there is no return.
 */
export function downsideRisk(returns: readonly number[], options: RatioOptions = {}): number | null {
  const { riskFreeAnnual = 0, periodsPerYear = TRADING_DAYS_PER_YEAR } = options;
  const mar = perPeriodRate(riskFreeAnnual, periodsPerYear);
  const xs = present(returns);
  if (xs.length === 0) return null;
  const shortfalls = xs.map((r) => Math.min(r - mar, 0) ** 2);
  return Math.sqrt(mean(shortfalls)) * Math.sqrt(periodsPerYear);
}

/**
 * Annualised Sortino ratio (empyrical `sortino_ratio`): mean(r - mar) × periodsPerYear / downsideRisk.
 * null for fewer than 2 returns or when no return is below mar (zero downside risk; empyrical gives inf).
 */
export function sortinoRatio(returns: readonly number[], options: RatioOptions = {}): number | null {
  const { riskFreeAnnual = 0, periodsPerYear = TRADING_DAYS_PER_YEAR } = options;
  const mar = perPeriodRate(riskFreeAnnual, periodsPerYear);
  const xs = present(returns);
  const risk = downsideRisk(returns, options);
  if (xs.length < 2 || risk === null || risk === 0) return null;
  return (mean(xs.map((r) => r - mar)) * periodsPerYear) / risk;
}

/**
 * Maximum drawdown of the compounded returns (empyrical `max_drawdown`) as a fraction <= 0 (-0.10 = 10%
 * fall); the curve starts flat before the first return, so a first loss counts. null for no returns.
 * For where it happened, call `maxDrawdown(equityFromReturns(returns))`.
 */
export function maxDrawdownOfReturns(returns: readonly number[]): number | null {
  if (returns.length === 0) return null;
  return maxDrawdown(equityFromReturns(returns))!.drawdown;
}

/**
 * Calmar ratio (empyrical `calmar_ratio`): cagr / |maxDrawdown|. null when there is no return or no
 * drawdown (empyrical: NaN), or when the ratio is not finite.
 */
export function calmarRatio(returns: readonly number[], periodsPerYear: number = TRADING_DAYS_PER_YEAR): number | null {
  const growth = cagr(returns, periodsPerYear);
  const drawdown = maxDrawdownOfReturns(returns);
  if (growth === null || drawdown === null || drawdown >= 0) return null;
  const ratio = growth / Math.abs(drawdown);
  return Number.isFinite(ratio) ? ratio : null;
}

/**
 * Exposure: the share of periods with open risk, as a fraction in [0, 1]. An entry counts when it is
 * `true` or a non-zero number (e.g. open risk in USD; a short's negative exposure counts too).
 * null for an empty series.
 * @throws RangeError on a NaN or infinite number.
 */
export function exposure(openRisk: readonly (boolean | number)[]): number | null {
  if (openRisk.length === 0) return null;
  let open = 0;
  openRisk.forEach((x, i) => {
    if (typeof x === 'number' && !Number.isFinite(x)) throw new RangeError(`openRisk[${i}] must be finite, got ${x}`);
    if (x === true || (typeof x === 'number' && x !== 0)) open++;
  });
  return open / openRisk.length;
}
