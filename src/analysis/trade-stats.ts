/**
 * @module Statistics of closed trades, in USD. A trade's `pnlUsd` is NET of its fees, as the paper ledger
 * records it (`PositionExit.pnlUsd`: proceeds - exit commission - cost - entry commission); `feesUsd` is
 * only summed for the report, never subtracted again.
 *
 * Conventions (sources: LEAN `Common/Statistics/TradeStatistics.cs`, vectorbt `portfolio/trades.py`):
 * - A win has pnlUsd > 0, a loss pnlUsd < 0. A break-even trade (exactly 0) is neither, but counts in
 *   tradeCount, so it lowers the win rate (vectorbt; LEAN files break-evens under losses).
 * - Expectancy is the mean net P&L per trade in USD, W·avgWin − L·|avgLoss| (vectorbt's definition, LEAN's
 *   `AverageProfitLoss`), NOT LEAN's portfolio "Expectancy" W·(avgWin/|avgLoss|) − L in units of the average loss.
 * - Profit factor is gross profit / |gross loss|. With no losing trade it is null, not Infinity (JSON would
 *   turn Infinity into null anyway; LEAN reports a sentinel 10): render it as "n/a (no losses)".
 * - Every other undefined figure is null too (no trades, no wins, no losses).
 */

/** One closed trade. */
export type ClosedTrade = {
  /** Net realised P&L in USD, after all fees. */
  pnlUsd: number;
  /** Fees paid on the trade in USD (both commissions), >= 0. Already inside pnlUsd. */
  feesUsd: number;
};

export type TradeStats = {
  tradeCount: number;
  winCount: number;
  lossCount: number;
  /** Trades with pnlUsd exactly 0. */
  breakevenCount: number;
  /** winCount / tradeCount, a fraction; null with no trades. */
  winRate: number | null;
  /** Sum of winning P&L, USD (>= 0). */
  grossProfitUsd: number;
  /** Sum of losing P&L, USD (<= 0). */
  grossLossUsd: number;
  /** Mean P&L of the winners, USD (> 0); null with no winner. */
  averageWinUsd: number | null;
  /** Mean P&L of the losers, USD (< 0); null with no loser. */
  averageLossUsd: number | null;
  /** grossProfitUsd / |grossLossUsd|; 0 with losses and no wins; null with no losing trade. */
  profitFactor: number | null;
  /** Mean net P&L per trade, USD; null with no trades. */
  expectancyUsd: number | null;
  /** Sum of net P&L, USD. */
  netPnlUsd: number;
  /** Sum of fees, USD. */
  totalFeesUsd: number;
};

/**
 * Trade count, win rate, average win and loss, profit factor, expectancy and fees of closed trades.
 * @throws RangeError when a pnlUsd is not finite or a feesUsd is not a finite number >= 0.
 */
export function tradeStats(trades: readonly ClosedTrade[]): TradeStats {
  let winCount = 0;
  let lossCount = 0;
  let grossProfitUsd = 0;
  let grossLossUsd = 0;
  let totalFeesUsd = 0;
  trades.forEach(({ pnlUsd, feesUsd }, i) => {
    if (!Number.isFinite(pnlUsd)) throw new RangeError(`trades[${i}].pnlUsd must be finite, got ${pnlUsd}`);
    if (!Number.isFinite(feesUsd) || feesUsd < 0) throw new RangeError(`trades[${i}].feesUsd must be a finite number >= 0, got ${feesUsd}`);
    totalFeesUsd += feesUsd;
    if (pnlUsd > 0) {
      winCount++;
      grossProfitUsd += pnlUsd;
    } else if (pnlUsd < 0) {
      lossCount++;
      grossLossUsd += pnlUsd;
    }
  });
  const tradeCount = trades.length;
  const netPnlUsd = grossProfitUsd + grossLossUsd;
  return {
    tradeCount,
    winCount,
    lossCount,
    breakevenCount: tradeCount - winCount - lossCount,
    winRate: tradeCount === 0 ? null : winCount / tradeCount,
    grossProfitUsd,
    grossLossUsd,
    averageWinUsd: winCount === 0 ? null : grossProfitUsd / winCount,
    averageLossUsd: lossCount === 0 ? null : grossLossUsd / lossCount,
    profitFactor: lossCount === 0 ? null : grossProfitUsd / -grossLossUsd,
    expectancyUsd: tradeCount === 0 ? null : netPnlUsd / tradeCount,
    netPnlUsd,
    totalFeesUsd,
  };
}
