/**
 * @module Shapes of the paper ledger. They are persisted as JSON in the Store, so dates are ISO strings
 * (`...At`: full timestamps; `...Date`: YYYY-MM-DD New York trading dates). Money in USD, unrounded;
 * option prices per share (one contract = 100 shares); contracts are whole numbers.
 */
import type { FeeSchedule } from '../fees.ts';
import type { Side } from '../../core/types.ts';
import type { MarketData } from '../../market/provider.ts';
import type { OptionRight } from '../../market/types.ts';

/** A quote for one contract, as an option chain lists it (per share). */
export type ContractQuote = { symbol: string; bid: number; ask: number };

/** Why a position left the book. `expiry` is settlement at intrinsic value. */
export type ExitReason = 'take-profit' | 'stop-loss' | 'manual' | 'expiry';

/** How a position was closed. */
export type PositionExit = {
  reason: ExitReason;
  at: string;
  /** Per share: the bid sold at, or the intrinsic value at expiry. */
  priceUsd: number;
  /** priceUsd x 100 x contracts, before commission. */
  proceedsUsd: number;
  /** 0 at expiry: settlement is free (LEAN: exercise is free). */
  commissionUsd: number;
  /** Net of both commissions: proceeds - exit commission - cost - entry commission. */
  pnlUsd: number;
  /** The underlying close the settlement used. */
  underlyingCloseUsd?: number;
};

export type PaperPosition = {
  /** Short and sequential ("3"), so an admin can type `/close 3`. */
  id: string;
  /** Idempotency key: symbol|side|signal date. One position per signal, ever, whichever contract it picked. */
  signalKey: string;
  /** The trade alert that announced it; exit alerts reply to it. */
  alertId: string;
  underlying: string;
  side: Side;
  contractSymbol: string;
  right: OptionRight;
  strike: number;
  expiryDate: string;
  contracts: number;
  /** The ask paid, per share (LEAN: buy at the ask). */
  entryPriceUsd: number;
  /** Premium paid: contracts x ask x 100. The position's open risk: a bought option loses at most this. */
  costUsd: number;
  entryCommissionUsd: number;
  openedAt: string;
  /** Valuation per share: the mid of the last two-sided quote (the entry quote's mid at first). */
  markPriceUsd: number;
  /** The bid of that quote, per share. */
  markBidUsd: number;
  markedAt: string;
  /** Set while the mark is stale: why the last mark was kept (no quote, chain failed, awaiting the expiry-day close). */
  markNote?: string;
  /** The prices came from a model (replay), not a quote. */
  modeled: boolean;
  status: 'open' | 'closed' | 'expired';
  exit?: PositionExit;
};

/** The whole mutable account in one Store key, so one compare-and-write moves cash and positions together. */
export type Book = {
  version: 1;
  cashUsd: number;
  /** The challenge's starting equity (ACCOUNT_EQUITY when the book was created). */
  startingEquityUsd: number;
  /** New York date of the book's creation: the challenge's day 0. */
  startDate: string;
  nextId: number;
  /** Sum of closed positions' net P&L. */
  realizedPnlUsd: number;
  /** Every commission paid. */
  feesUsd: number;
  open: PaperPosition[];
};

export type PositionEventType = 'position.opened' | 'position.closed' | 'position.expired' | 'position.stopped';

/** Something that happened to a position, as committed. Exit events become follow-up alerts. */
export type PositionEvent = {
  type: PositionEventType;
  position: PaperPosition;
  /** Net P&L: on open, minus the entry commission; on exit, PositionExit.pnlUsd. */
  pnlUsd: number;
  /** pnlUsd / (cost + entry commission), as a fraction. */
  pnlFraction: number;
  /** In words: "take-profit: mark $0.24 is +118% on $0.11 paid", "expired worthless (SPY closed $251.20)". */
  reason: string;
  /** Cash after the operation. */
  cashUsd: number;
  /** The original trade alert's id, to reply to. */
  alertId: string;
  at: string;
  /** True when open() found the signal already opened and returns that position instead. */
  duplicate?: boolean;
};

/** An exit event: closed (take-profit or manual), stopped (stop-loss) or expired. */
export type ExitEvent = PositionEvent & { type: Exclude<PositionEventType, 'position.opened'> };

/** open() did not open anything, and why (REJECTED plan, not enough cash, open risk over budget). */
export type OpenSkipped = { type: 'open.skipped'; reason: string; alertId: string };

/** One point of the equity curve: the last valuation of a trading day. */
export type EquityPoint = { date: string; equityUsd: number; cashUsd: number; at: string };

/** Commission schedule per order. `tiers` (optional) lowers the per-contract fee for cheap premiums. */
export type LedgerConfig = {
  /** ACCOUNT_EQUITY: the cash a new book starts with, and the challenge's start. */
  startingEquityUsd: number;
  /** The challenge target, default $1,000,000. */
  targetEquityUsd: number;
  /** Months from the start to the target date, default 12. */
  targetMonths: number;
  fees: FeeSchedule;
  /** Close when the mark is up this % of the premium paid (100 = doubled); null: never. */
  takeProfitPct: number | null;
  /** Close when the mark is down this % of the premium paid (50 = halved); null: never. */
  stopLossPct: number | null;
};

/**
 * Drawdowns as positive fractions of the running peak (LEAN's convention; empyrical reports them negative).
 * In a summary the curve starts at the book's starting equity, so the peak is at least that.
 */
export type Drawdown = { maxDrawdown: number; currentDrawdown: number; peakUsd: number };

/** Where the $10k -> $1M challenge stands. Fractions: 0.468 = 46.8%. */
export type ChallengeProgress = {
  startingEquityUsd: number;
  targetEquityUsd: number;
  equityUsd: number;
  startDate: string;
  targetDate: string;
  date: string;
  daysElapsed: number;
  monthsLeft: number;
  /** (equity - start) / (target - start): linear share of the dollar distance covered. */
  progress: number;
  /** ln(equity / start) / ln(target / start): share of the compounding distance covered. */
  logProgress: number;
  /**
   * (target / equity)^(1 / monthsLeft) - 1: the monthly return that reaches the target on the target date.
   * 0 once reached; null when the target date has passed or equity is gone.
   */
  requiredMonthlyReturn: number | null;
};

/** Account numbers at a moment: what /positions, /risk, the diary and the challenge show. */
export type LedgerSummary = {
  date: string;
  cashUsd: number;
  /** Open positions at their marks. */
  positionsValueUsd: number;
  /** cash + positions value. */
  equityUsd: number;
  openRiskUsd: number;
  openPositions: number;
  realizedPnlUsd: number;
  unrealizedPnlUsd: number;
  feesUsd: number;
  /** Open positions whose mark is stale (last quote kept). */
  staleMarks: number;
  /** Over the daily equity curve with today's equity in place. */
  drawdown: Drawdown;
  challenge: ChallengeProgress;
};

/** What commands need from the ledger: the query side plus the admin's close. */
export interface PaperLedger {
  openPositions(): Promise<PaperPosition[]>;
  /** An open or closed position by id ("3" or "#3"), or null. */
  findPosition(id: string): Promise<PaperPosition | null>;
  /** Premium paid for the open positions: what counts against the risk budget. */
  openRiskUsd(): Promise<number>;
  summary(at: Date): Promise<LedgerSummary>;
  /** Sell an open position at the current bid (fetches its chain); null when it is not open. */
  closeAtMarket(id: string, market: MarketData, at: Date): Promise<ExitEvent | null>;
}

