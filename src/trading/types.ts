import type { OptionContract } from '../market/types.ts';
import type { RegimeState, Signal } from '../core/types.ts';

export type PlanStatus = 'ACCEPTED' | 'REJECTED';

/** Every input of a sizing decision, kept on the plan so an alert can explain itself. Money in USD. */
export type SizingInputs = {
  equityUsd: number;
  riskCapPct: number;
  /** riskCapPct of equity. */
  riskCapUsd: number;
  kellyWinProb: number;
  kellyPayoff: number;
  /** Full Kelly f* = p - q/b, clamped at 0. */
  kellyFull: number;
  /** KELLY_FRACTION. */
  kellyFraction: number;
  /** kellyFraction x kellyFull: the share of equity Kelly would stake. */
  kellySize: number;
  /** Where p and b come from: KELLY_WIN_PROB/KELLY_PAYOFF, or a backtest's trade statistics (KELLY_SOURCE). */
  kellySource?: string;
  regimeState: RegimeState;
  /** Regime exposure multiplier for the signal's side. */
  regimeMultiplier: number;
  /** Open risk already committed: premium of open positions (the ledger fills this in; 0 without one). */
  openRiskUsd: number;
  /** Limit on all open risk together: MAX_OPEN_RISK_PCT (default 50) of equity. */
  maxOpenRiskUsd: number;
  /** min(min(riskCapUsd, kellySize x equity) x regimeMultiplier, maxOpenRiskUsd - openRiskUsd): what this trade may spend. */
  budgetUsd: number;
};

export type TradePlan = {
  signal: Signal;
  /** The picked contract; absent when no contract could be picked (then REJECTED with the reason). */
  contract?: OptionContract;
  /** Whole contracts; 0 when REJECTED. */
  contracts: number;
  /** contracts x ask x 100: the premium. */
  costUsd: number;
  /** Commission of the buy order; inside the budget. */
  feesUsd: number;
  /** costUsd + feesUsd: what the trade takes from the account, and what counts against the budget. */
  totalUsd: number;
  /** One contract's cost: ask x 100. */
  contractCostUsd: number;
  sizing: SizingInputs;
  status: PlanStatus;
  /** Why, in words: "1 contract costs $1,240 > $1,000 risk cap", "90 contracts x $0.11 = $990 within $1,000 budget". */
  reason: string;
  /** Notes on the pick, e.g. skipped stale quotes; shown to users. */
  notes: string[];
};
