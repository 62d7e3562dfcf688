/**
 * @module How the paper account has done, Freqtrade-style: a summary over a window (/pnl), per ticker
 * (/performance) and per day, week or month (/daily, /weekly, /monthly). Pure: closed positions and the
 * equity history in, plain rows out. A trade belongs to the day it was closed; P&L is net of commissions.
 */
import { nyDate } from '../../analysis/calendar.ts';
import { maxDrawdown } from '../../analysis/drawdown.ts';
import { tradeStats, type TradeStats } from '../../analysis/trade-stats.ts';
import type { EquityPoint, PaperPosition } from './types.ts';

export type PnlSummary = TradeStats & {
  /** The window's first day (YYYY-MM-DD), or null for "since the start". */
  since: string | null;
  /** Largest fall of equity from a peak within the window, as a fraction (0.12 = 12%), or null without history. */
  maxDrawdown: number | null;
  best: { symbol: string; pnlUsd: number } | null;
  worst: { symbol: string; pnlUsd: number } | null;
  /** Equity when the window opened: the last session's close before it, or the starting equity. */
  equityStartUsd: number;
  /** Equity now (open positions at their marks). */
  equityEndUsd: number;
};

/** What the window is measured against: the account's starting equity and its equity now. */
export type EquityBounds = { startingEquityUsd: number; equityNowUsd: number };

export type TickerRow = { symbol: string; trades: number; pnlUsd: number; winRate: number | null };
export type PeriodRow = { period: string; trades: number; pnlUsd: number; equityUsd: number | null };
export type Period = 'day' | 'week' | 'month';

/** The New York day a position closed on (an 8 pm ET exit is the next day in UTC). */
const exitDay = (p: PaperPosition) => nyDate(new Date(p.exit!.at));
const closedSince = (positions: readonly PaperPosition[], since: string | null) =>
  positions.filter((p) => p.exit && (since === null || exitDay(p) >= since));

export function byTicker(positions: readonly PaperPosition[], since: string | null = null): TickerRow[] {
  const groups = new Map<string, PaperPosition[]>();
  for (const p of closedSince(positions, since)) groups.set(p.underlying, [...(groups.get(p.underlying) ?? []), p]);
  return [...groups]
    .map(([symbol, ps]) => {
      const stats = tradeStats(ps.map((p) => ({ pnlUsd: p.exit!.pnlUsd, feesUsd: p.entryCommissionUsd + p.exit!.commissionUsd })));
      return { symbol, trades: stats.tradeCount, pnlUsd: stats.netPnlUsd, winRate: stats.winRate };
    })
    .sort((a, b) => b.pnlUsd - a.pnlUsd || a.symbol.localeCompare(b.symbol));
}

/**
 * Closed-trade statistics, drawdown and equity change over the window from `since` (YYYY-MM-DD, New York)
 * to now; `since` null means since the account opened.
 */
export function pnlSummary(
  positions: readonly PaperPosition[],
  equity: readonly EquityPoint[],
  bounds: EquityBounds,
  since: string | null = null,
): PnlSummary {
  const closed = closedSince(positions, since);
  const stats = tradeStats(closed.map((p) => ({ pnlUsd: p.exit!.pnlUsd, feesUsd: p.entryCommissionUsd + p.exit!.commissionUsd })));
  const before = since === null ? undefined : equity.filter((p) => p.date < since).at(-1);
  const equityStartUsd = before?.equityUsd ?? bounds.startingEquityUsd;
  // The curve the drawdown is measured on: the window's opening equity, each session's close in it, now.
  const curve = [equityStartUsd, ...equity.filter((p) => since === null || p.date >= since).map((p) => p.equityUsd), bounds.equityNowUsd];
  const dd = equityStartUsd > 0 ? maxDrawdown(curve) : null;
  const tickers = byTicker(closed);
  return {
    ...stats,
    since,
    maxDrawdown: dd ? Math.abs(dd.drawdown) : null,
    best: tickers[0] ? { symbol: tickers[0].symbol, pnlUsd: tickers[0].pnlUsd } : null,
    worst: tickers.at(-1) ? { symbol: tickers.at(-1)!.symbol, pnlUsd: tickers.at(-1)!.pnlUsd } : null,
    equityStartUsd,
    equityEndUsd: bounds.equityNowUsd,
  };
}

/** The period a New York date falls in: "2026-11-20", the week's Monday "2026-11-16", or "2026-11". */
export function periodOf(date: string, period: Period): string {
  if (period === 'day') return date;
  if (period === 'month') return date.slice(0, 7);
  const d = new Date(`${date}T00:00:00Z`);
  const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000);
  return monday.toISOString().slice(0, 10);
}

/** The last `count` periods that saw a trade closed or an equity point, newest first. */
export function byPeriod(positions: readonly PaperPosition[], equity: readonly EquityPoint[], period: Period, count: number): PeriodRow[] {
  const rows = new Map<string, PeriodRow>();
  const row = (key: string) => rows.get(key) ?? rows.set(key, { period: key, trades: 0, pnlUsd: 0, equityUsd: null }).get(key)!;
  for (const p of closedSince(positions, null)) {
    const r = row(periodOf(exitDay(p), period));
    r.trades += 1;
    r.pnlUsd += p.exit!.pnlUsd;
  }
  // Equity at each period's end: the last point within it (points are one per session, oldest first).
  for (const point of equity) row(periodOf(point.date, period)).equityUsd = point.equityUsd;
  return [...rows.values()].sort((a, b) => b.period.localeCompare(a.period)).slice(0, count);
}
