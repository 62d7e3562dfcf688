/**
 * @module The paper ledger's arithmetic, pure: commissions, valuation, exit rules, drawdown and the
 * $10k -> $1M challenge. No Store, no clock: dates come in as YYYY-MM-DD strings. Nothing is rounded.
 */
import { DEFAULTS } from '../../config/defaults.ts';
import type { OptionRight } from '../../market/types.ts';
import { FLAT_IB_FEES } from '../fees.ts';
import { CONTRACT_MULTIPLIER } from '../risk.ts';
import type { TradePlan } from '../types.ts';
import type {
  Book, ChallengeProgress, Drawdown, EquityPoint, ExitReason, LedgerConfig, LedgerSummary, PaperPosition,
} from './types.ts';

/** The ledger's settings from the configuration defaults (config/defaults.ts). */
export const DEFAULT_LEDGER_CONFIG: LedgerConfig = {
  startingEquityUsd: DEFAULTS.accountEquityUsd,
  targetEquityUsd: DEFAULTS.ledger.targetEquityUsd,
  targetMonths: DEFAULTS.ledger.targetMonths,
  fees: FLAT_IB_FEES,
  takeProfitPct: DEFAULTS.ledger.takeProfitPct,
  stopLossPct: DEFAULTS.ledger.stopLossPct,
};

/** Per share value of exercising at `underlyingUsd`: the settlement price at expiry. */
export function intrinsicValueUsd(right: OptionRight, strike: number, underlyingUsd: number): number {
  return Math.max(0, right === 'call' ? underlyingUsd - strike : strike - underlyingUsd);
}

/**
 * The mid of a usable two-sided quote, or null. A zero or missing side, or a crossed market, means "no
 * price" in free feeds (after hours Yahoo reports 0/0), never "worth nothing" (quant-anchors §3.4).
 */
export function twoSidedMid(bid: number, ask: number): number | null {
  if (!(bid > 0) || !(ask > 0) || ask < bid) return null;
  return (bid + ask) / 2;
}

/** A position's value at its mark. */
export const markedValueUsd = (p: PaperPosition): number => p.markPriceUsd * CONTRACT_MULTIPLIER * p.contracts;

/** What the position cost in all: premium plus the entry commission. The base of P&L percentages. */
export const paidUsd = (p: PaperPosition): number => p.costUsd + p.entryCommissionUsd;

/** Unrealised P&L at the mark, net of the entry commission (the exit commission is not paid yet). */
export const unrealizedPnlUsd = (p: PaperPosition): number => markedValueUsd(p) - paidUsd(p);

/** Change of the mark against the ask paid, as a fraction: what the take-profit and stop-loss rules read. */
export const markChange = (p: PaperPosition): number => p.markPriceUsd / p.entryPriceUsd - 1;

/**
 * The exit rule a fresh mark triggers, or null. The rules read the mid (the valuation), not the bid, so a
 * wide spread alone does not stop a position out the moment it opens; the sale itself is at the bid.
 */
export function exitRuleFor(p: PaperPosition, config: Pick<LedgerConfig, 'takeProfitPct' | 'stopLossPct'>): Extract<ExitReason, 'take-profit' | 'stop-loss'> | null {
  if (p.markNote !== undefined) return null; // a stale mark is no evidence of anything
  const change = markChange(p);
  // The epsilon keeps float noise (0.22 / 0.11 - 1 = 0.9999999999999998) from missing an exact double.
  if (config.takeProfitPct !== null && change >= config.takeProfitPct / 100 - 1e-9) return 'take-profit';
  if (config.stopLossPct !== null && change <= -config.stopLossPct / 100 + 1e-9) return 'stop-loss';
  return null;
}

/**
 * One position per signal, ever: underlying, side and signal date (the signal bar's day). The contract is
 * left out on purpose: the 0.30-delta strike moves as the underlying does, so the same signal seen again in a
 * later cycle (or after its position took profit or stopped out) picks another contract and must still be
 * recognised.
 */
export function signalKeyOf(plan: Pick<TradePlan, 'signal'>): string {
  const date = plan.signal.asOf.toISOString().slice(0, 10);
  return [plan.signal.symbol, plan.signal.side, date].join('|');
}

/** The curve with `point` in place: one point per date, the later write of a date replacing the earlier. */
export function upsertEquityPoint(points: readonly EquityPoint[], point: EquityPoint): EquityPoint[] {
  return [...points.filter((p) => p.date !== point.date), point].sort((a, b) => a.date.localeCompare(b.date));
}

/** Max and current drawdown of an equity series: 1 - equity / running peak. */
export function drawdownOf(equitiesUsd: readonly number[]): Drawdown {
  let peakUsd = Number.NEGATIVE_INFINITY;
  let maxDrawdown = 0;
  let currentDrawdown = 0;
  for (const e of equitiesUsd) {
    peakUsd = Math.max(peakUsd, e);
    currentDrawdown = peakUsd > 0 ? 1 - e / peakUsd : 0;
    maxDrawdown = Math.max(maxDrawdown, currentDrawdown);
  }
  return { maxDrawdown, currentDrawdown, peakUsd: Number.isFinite(peakUsd) ? peakUsd : 0 };
}

/**
 * LEAN's DrawdownRecovery: the longest span, in points (trading days), from a peak to the first point back
 * at or above it, over the drawdowns that recovered; 0 when none did.
 */
export function drawdownRecoveryDays(equitiesUsd: readonly number[]): number {
  let longest = 0;
  let peakIndex = 0;
  let inDrawdown = false;
  equitiesUsd.forEach((e, i) => {
    const peak = equitiesUsd[peakIndex] ?? e;
    if (e < peak) inDrawdown = true;
    else {
      if (inDrawdown) longest = Math.max(longest, i - peakIndex);
      inDrawdown = false;
      peakIndex = i;
    }
  });
  return longest;
}

const DAY_MS = 86_400_000;
const utcMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** `date` plus `months` calendar months, the day clamped to the month's end (Jan 31 + 1 -> Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const d = new Date(utcMs(date));
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return first.toISOString().slice(0, 10);
}

/** Calendar months from `from` to `to`: whole months, plus the elapsed share of the month in progress. */
export function monthsBetween(from: string, to: string): number {
  if (to < from) return -monthsBetween(to, from);
  let whole = 0;
  while (addMonths(from, whole + 1) <= to) whole++;
  const start = utcMs(addMonths(from, whole));
  const end = utcMs(addMonths(from, whole + 1));
  return whole + (utcMs(to) - start) / (end - start);
}

export const daysBetween = (from: string, to: string): number => Math.round((utcMs(to) - utcMs(from)) / DAY_MS);

export function challengeProgress(input: {
  startingEquityUsd: number;
  targetEquityUsd: number;
  targetMonths: number;
  startDate: string;
  date: string;
  equityUsd: number;
}): ChallengeProgress {
  const { startingEquityUsd: start, targetEquityUsd: target, equityUsd: equity } = input;
  const targetDate = addMonths(input.startDate, input.targetMonths);
  const monthsLeft = monthsBetween(input.date, targetDate);
  let requiredMonthlyReturn: number | null;
  if (equity >= target) requiredMonthlyReturn = 0;
  else if (monthsLeft <= 0 || !(equity > 0)) requiredMonthlyReturn = null;
  else requiredMonthlyReturn = (target / equity) ** (1 / monthsLeft) - 1;
  return {
    startingEquityUsd: start,
    targetEquityUsd: target,
    equityUsd: equity,
    startDate: input.startDate,
    targetDate,
    date: input.date,
    daysElapsed: daysBetween(input.startDate, input.date),
    monthsLeft,
    progress: (equity - start) / (target - start),
    logProgress: equity > 0 ? Math.log(equity / start) / Math.log(target / start) : Number.NEGATIVE_INFINITY,
    requiredMonthlyReturn,
  };
}

/** Cash plus open positions at their marks. */
export const equityOf = (book: Book): number => book.cashUsd + book.open.reduce((sum, p) => sum + markedValueUsd(p), 0);

/** Premium paid for the open positions: a bought option loses at most that. */
export const openRiskOf = (book: Book): number => book.open.reduce((sum, p) => sum + paidUsd(p), 0);

/**
 * The account at `at` (New York `date`), the drawdown taken over the daily curve with today's equity in
 * place, from the book's starting equity.
 */
export function summarize(book: Book, history: readonly EquityPoint[], at: Date, date: string, config: LedgerConfig): LedgerSummary {
  const equityUsd = equityOf(book);
  const curve = upsertEquityPoint(history, { date, equityUsd, cashUsd: book.cashUsd, at: at.toISOString() });
  return {
    date,
    cashUsd: book.cashUsd,
    positionsValueUsd: equityUsd - book.cashUsd,
    equityUsd,
    openRiskUsd: openRiskOf(book),
    openPositions: book.open.length,
    realizedPnlUsd: book.realizedPnlUsd,
    unrealizedPnlUsd: book.open.reduce((sum, p) => sum + unrealizedPnlUsd(p), 0),
    feesUsd: book.feesUsd,
    staleMarks: book.open.filter((p) => p.markNote !== undefined).length,
    // The curve starts at the challenge's starting equity: the first recorded point comes after the first
    // opens have paid the ask and commissions, so a peak taken from it would hide that loss.
    drawdown: drawdownOf([book.startingEquityUsd, ...curve.map((p) => p.equityUsd)]),
    challenge: challengeProgress({ ...config, startingEquityUsd: book.startingEquityUsd, startDate: book.startDate, date, equityUsd }),
  };
}
