/**
 * @module Drawdowns of an equity curve: the deepest peak-to-trough fall (empyrical `max_drawdown`) and the
 * longest peak-to-recovery span (LEAN `Statistics.CalculateDrawdownMetrics().DrawdownRecovery`).
 * Equity is in any currency unit (USD for the paper ledger), one value per period, oldest first; dates, when
 * given, are New York calendar dates as YYYY-MM-DD strings, one per equity value.
 */

/** The deepest fall of an equity curve from a running peak. */
export type MaxDrawdown = {
  /** (trough - peak) / peak as a fraction: -0.10 is a 10% fall. 0 when the curve never falls (empyrical's sign). */
  drawdown: number;
  /** Index of the peak the fall started from: the LAST index at that running high before the trough. */
  peakIndex: number;
  /** Index of the lowest point relative to that peak (the first one on ties). */
  troughIndex: number;
  /** dates[peakIndex], when dates were given. */
  peakDate?: string;
  /** dates[troughIndex], when dates were given. */
  troughDate?: string;
};

/** Throws unless equity is finite, >= 0, with a first value > 0 (so every drawdown has a peak to divide by). */
function checkEquity(equity: readonly number[]): void {
  equity.forEach((value, i) => {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`equity[${i}] must be a finite number >= 0, got ${value}`);
  });
  if (equity.length > 0 && equity[0]! <= 0) throw new RangeError(`equity[0] must be > 0, got ${equity[0]}`);
}

function checkDates(equity: readonly number[], dates: readonly string[] | undefined): void {
  if (dates !== undefined && dates.length !== equity.length) {
    throw new RangeError(`dates must have one entry per equity value (${equity.length}), got ${dates.length}`);
  }
}

/**
 * Maximum drawdown of an equity curve, with where it happened. Matches empyrical's `max_drawdown` when the
 * curve comes from `equityFromReturns` (empyrical starts its curve at 100 before the first return).
 * @returns null for an empty curve (nothing to measure); otherwise drawdown <= 0.
 * @throws RangeError on a non-finite or negative value, a first value <= 0, or dates of the wrong length.
 */
export function maxDrawdown(equity: readonly number[], dates?: readonly string[]): MaxDrawdown | null {
  checkEquity(equity);
  checkDates(equity, dates);
  if (equity.length === 0) return null;
  let peak = equity[0]!;
  let peakIndex = 0;
  let worst = { drawdown: 0, peakIndex: 0, troughIndex: 0 };
  equity.forEach((value, i) => {
    if (value >= peak) {
      peak = value;
      peakIndex = i;
      return;
    }
    const drawdown = value / peak - 1;
    if (drawdown < worst.drawdown) worst = { drawdown, peakIndex, troughIndex: i };
  });
  if (dates === undefined) return worst;
  return { ...worst, peakDate: dates[worst.peakIndex]!, troughDate: dates[worst.troughIndex]! };
}

const DAY_MS = 24 * 60 * 60 * 1000;

function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`dates must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return ms / DAY_MS;
}

/**
 * LEAN's drawdown recovery: the longest span from a peak to the first later value back at (>=) that peak,
 * among drawdowns that recovered. A drawdown still open at the end does not count; 0 when none recovered.
 * A value equal to the running peak becomes the new peak (so 100, 100, 90, 100 recovers in 2).
 */
function longestRecovery(equity: readonly number[], position: (i: number) => number): number {
  if (equity.length < 2) return 0;
  let peak = equity[0]!;
  let peakAt = position(0);
  let drawdownFrom: number | null = null;
  let longest = 0;
  equity.forEach((value, i) => {
    if (value >= peak) {
      if (drawdownFrom !== null) longest = Math.max(longest, position(i) - drawdownFrom);
      drawdownFrom = null;
      peak = value;
      peakAt = position(i);
    } else if (drawdownFrom === null) {
      drawdownFrom = peakAt;
    }
  });
  return longest;
}

/**
 * Longest drawdown recovery in PERIODS (index steps, i.e. trading days on a daily curve), LEAN's
 * definition: peak to the first value back at or above it, recovered drawdowns only, 0 if none.
 * @throws RangeError on bad equity (see maxDrawdown).
 */
export function drawdownRecoveryPeriods(equity: readonly number[]): number {
  checkEquity(equity);
  return longestRecovery(equity, (i) => i);
}

/**
 * Longest drawdown recovery in CALENDAR DAYS between the dates, as LEAN reports it
 * (`Statistics.CalculateDrawdownMetrics`, which subtracts timestamps). Same rules as drawdownRecoveryPeriods.
 * @param dates YYYY-MM-DD, one per equity value, ascending.
 * @throws RangeError on bad equity, or dates of the wrong length or format.
 */
export function drawdownRecoveryDays(equity: readonly number[], dates: readonly string[]): number {
  checkEquity(equity);
  checkDates(equity, dates);
  const days = dates.map(dayNumber);
  return longestRecovery(equity, (i) => days[i]!);
}
