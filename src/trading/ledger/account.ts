/**
 * @module The paper account as sizing sees it at the start of a cycle: equity, open risk, and the signals
 * already traded (so they are not sized again). The bot and the backtest read it the same way.
 */
import type { Ledger } from './ledger.ts';

export type AccountState = {
  equityUsd: number;
  openRiskUsd: number;
  /** Signals already traded: "SYMBOL|SIDE" per open position, "SYMBOL|SIDE|DATE" per recent signal traded. */
  held: string[];
};

/** A signal lives for the day of its bar; a week of closed positions covers weekends and holidays. */
const HELD_LOOKBACK_MS = 7 * 86_400_000;

export async function accountOf(ledger: Ledger, now: Date): Promise<AccountState> {
  const [summary, open, closed] = await Promise.all([ledger.summary(now), ledger.openPositions(), ledger.closedPositions()]);
  const since = new Date(now.getTime() - HELD_LOOKBACK_MS).toISOString();
  return {
    equityUsd: summary.equityUsd,
    openRiskUsd: summary.openRiskUsd,
    held: [...open.map((p) => `${p.underlying}|${p.side}`), ...[...open, ...closed].filter((p) => p.openedAt >= since).map((p) => p.signalKey)],
  };
}
