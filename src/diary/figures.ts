/**
 * The end-of-day numbers the diary shows, read from the paper ledger and the market: performance (the
 * ledger's fractions become the diary's percentages), positions still open, and today's alerts graded by
 * the move of their underlying since the alert.
 */
import type { MarketData } from '../market/provider.ts';
import type { Ledger } from '../trading/ledger/ledger.ts';
import { markedValueUsd, unrealizedPnlUsd } from '../trading/ledger/math.ts';
import { diaryAlerts, type DiaryDayRecord } from './record.ts';
import type { DiaryFigures } from './store.ts';

export async function diaryFigures(ledger: Ledger, market: MarketData, date: string, day: DiaryDayRecord, at: Date): Promise<DiaryFigures> {
  const [summary, history, open] = await Promise.all([ledger.summary(at), ledger.equityHistory(), ledger.openPositions()]);
  const previous = history.filter((p) => p.date < date).at(-1);
  const c = summary.challenge;
  const scorecard = await Promise.all(
    diaryAlerts(day).map(async (alert) => ({
      ...alert,
      // A quote that cannot be had grades nothing: NaN makes the diary say "n/a" rather than guess.
      priceNow: await market.quote(alert.symbol).then((q) => q.price, () => Number.NaN),
    })),
  );
  return {
    performance: {
      equityUsd: summary.equityUsd,
      dayPnlUsd: summary.equityUsd - (previous?.equityUsd ?? c.startingEquityUsd),
      drawdownPct: summary.drawdown.currentDrawdown * 100,
      maxDrawdownPct: summary.drawdown.maxDrawdown * 100,
      challenge: {
        startUsd: c.startingEquityUsd,
        targetUsd: c.targetEquityUsd,
        progressPct: c.progress * 100,
        progressLogPct: c.logProgress * 100,
        monthlyNeededPct: c.requiredMonthlyReturn === null ? null : c.requiredMonthlyReturn * 100,
        daysElapsed: c.daysElapsed,
      },
    },
    openPositions: open.map((p) => ({
      symbol: p.underlying,
      right: p.right,
      strike: p.strike,
      expiry: p.expiryDate,
      contracts: p.contracts,
      costUsd: p.costUsd,
      feesUsd: p.entryCommissionUsd,
      valueUsd: markedValueUsd(p),
      pnlUsd: unrealizedPnlUsd(p),
      modeled: p.modeled,
    })),
    scorecard,
  };
}
