/**
 * RiskManager: size a picked contract with fractional Kelly, capped at a per-trade share of equity and
 * scaled by the regime's exposure for the side. Pure; every input lands on the plan so alerts can
 * explain the decision. Money is not rounded here, only contract counts (whole contracts).
 */
import { fractionalKelly, kellyFraction } from '../analysis/kelly.ts';
import type { Regime, Signal } from '../core/types.ts';
import type { OptionContract } from '../market/types.ts';
import { formatMultiplier, formatUsd } from '../core/money.ts';
import { affordableContracts, commissionUsd, type FeeSchedule } from './fees.ts';
import type { SizingInputs, TradePlan } from './types.ts';

/** One option contract covers 100 shares. */
export const CONTRACT_MULTIPLIER = 100;

export type RiskConfig = {
  equityUsd: number;
  /** Per-trade risk cap as a percentage of equity (10 = 10%). */
  riskCapPct: number;
  /**
   * Limit on the premium of all open positions together, % of equity (MAX_OPEN_RISK_PCT, default 50): open
   * risk counts against it, so a new trade gets at most what the open ones leave. Unset: the per-trade cap.
   */
  maxOpenRiskPct?: number;
  /** `source`: where p and b come from, said on every alert ("config", or the backtest that measured them). */
  kelly: { fraction: number; winProb: number; payoff: number; source?: string };
  /** Commissions counted inside the budget (none without a schedule). */
  fees?: FeeSchedule;
  /**
   * At most these percentages of a contract's open interest and of its day volume (when it has traded):
   * a paper order the market could not have filled is no evidence of anything.
   */
  liquidity?: { maxOpenInterestPct: number; maxVolumePct: number };
};

/** The sizing inputs for a side under a regime, before any contract is known (also what `/risk` shows). */
export function riskBudget(config: RiskConfig, regime: Regime, side: Signal['side'], openRiskUsd = 0): SizingInputs {
  const riskCapUsd = (config.equityUsd * config.riskCapPct) / 100;
  const kellyFull = kellyFraction(config.kelly.winProb, config.kelly.payoff);
  const kellySize = fractionalKelly(config.kelly.winProb, config.kelly.payoff, config.kelly.fraction);
  const regimeMultiplier = side === 'LONG' ? regime.long : regime.short;
  const maxOpenRiskUsd = (config.equityUsd * (config.maxOpenRiskPct ?? config.riskCapPct)) / 100;
  const perTradeUsd = Math.min(riskCapUsd, kellySize * config.equityUsd) * regimeMultiplier;
  const budgetUsd = Math.max(0, Math.min(perTradeUsd, maxOpenRiskUsd - openRiskUsd));
  return {
    equityUsd: config.equityUsd,
    riskCapPct: config.riskCapPct,
    riskCapUsd,
    kellyWinProb: config.kelly.winProb,
    kellyPayoff: config.kelly.payoff,
    kellyFull,
    kellyFraction: config.kelly.fraction,
    kellySource: config.kelly.source ?? 'config',
    kellySize,
    regimeState: regime.state,
    regimeMultiplier,
    openRiskUsd,
    maxOpenRiskUsd,
    budgetUsd,
  };
}

/** What the budget is called in a reason: the cap itself when nothing scaled it down, else what did. */
function budgetLabel(s: SizingInputs): string {
  if (s.budgetUsd === s.riskCapUsd) return `${formatUsd(s.riskCapUsd)} risk cap`;
  const kellyUsd = s.kellySize * s.equityUsd;
  const why = [kellyUsd < s.riskCapUsd ? `Kelly ${formatUsd(kellyUsd)}` : `cap ${formatUsd(s.riskCapUsd)}`];
  if (s.regimeMultiplier !== 1) why.push(`${s.regimeState} ${formatMultiplier(s.regimeMultiplier)}`);
  if (s.openRiskUsd > 0) why.push(`${formatUsd(s.openRiskUsd)} of the ${formatUsd(s.maxOpenRiskUsd)} open-risk limit in use`);
  return `${formatUsd(s.budgetUsd)} budget (${why.join(', ')})`;
}

export type SizeRequest = {
  signal: Signal;
  regime: Regime;
  /** The picked contract, or null with the reason no contract could be picked. */
  contract: OptionContract | null;
  pickReason?: string;
  notes?: string[];
  openRiskUsd?: number;
};

export function sizeTrade(req: SizeRequest, config: RiskConfig): TradePlan {
  const sizing = riskBudget(config, req.regime, req.signal.side, req.openRiskUsd);
  const notes = req.notes ?? [];
  const side = req.signal.side.toLowerCase();
  const base = { signal: req.signal, sizing, notes };
  const reject = (reason: string, contract?: OptionContract): TradePlan => ({
    ...base,
    contract,
    contracts: 0,
    costUsd: 0,
    feesUsd: 0,
    totalUsd: 0,
    contractCostUsd: contract ? contract.ask * CONTRACT_MULTIPLIER : 0,
    status: 'REJECTED',
    reason,
  });

  if (sizing.regimeMultiplier === 0) {
    return reject(`${req.regime.state} regime: ${side} exposure ${formatMultiplier(0)}`, req.contract ?? undefined);
  }
  if (!req.contract) return reject(req.pickReason ?? 'no contract could be picked');
  const contract = req.contract;
  const contractCostUsd = contract.ask * CONTRACT_MULTIPLIER;
  if (!(contractCostUsd > 0)) return reject('contract has no ask price', contract);
  const fees = config.fees ?? NO_FEES;
  const affordable = affordableContracts(sizing.budgetUsd, contractCostUsd, contract.ask, fees);
  if (affordable < 1) {
    const oneFeeUsd = commissionUsd(1, contract.ask, fees);
    const fee = oneFeeUsd > 0 ? ` + ${formatUsd(oneFeeUsd, { cents: true })} fee` : '';
    return reject(`1 contract costs ${formatUsd(contractCostUsd)}${fee} > ${budgetLabel(sizing)}`, contract);
  }
  const liquidity = liquidityCap(contract, config.liquidity);
  if (liquidity && liquidity.contracts < 1) return reject(`too thin to trade: ${liquidity.why}`, contract);
  const contracts = liquidity ? Math.min(affordable, liquidity.contracts) : affordable;
  const costUsd = contracts * contractCostUsd;
  const feesUsd = commissionUsd(contracts, contract.ask, fees);
  const totalUsd = costUsd + feesUsd;
  const order = `${contracts} contract${contracts === 1 ? '' : 's'} x ${formatUsd(contract.ask, { cents: true })} = ${formatUsd(costUsd)}`;
  const withFees = feesUsd > 0 ? `${order} + ${formatUsd(feesUsd, { cents: true })} fees = ${formatUsd(totalUsd, { cents: true })}` : order;
  const capped = liquidity && contracts < affordable ? `; capped at ${liquidity.why}` : '';
  return {
    ...base,
    contract,
    contracts,
    costUsd,
    feesUsd,
    totalUsd,
    contractCostUsd,
    status: 'ACCEPTED',
    reason: `${withFees} within ${budgetLabel(sizing)}${capped}`,
  };
}

const NO_FEES: FeeSchedule = { commissionPerContractUsd: 0, minCommissionUsd: 0 };

/** The most contracts the market's depth allows, and the rule that set it; null without a liquidity rule. */
function liquidityCap(contract: OptionContract, rule: RiskConfig['liquidity']): { contracts: number; why: string } | null {
  if (!rule) return null;
  const caps = [{ contracts: Math.floor((contract.openInterest * rule.maxOpenInterestPct) / 100), why: `${rule.maxOpenInterestPct}% of open interest ${contract.openInterest.toLocaleString('en-US')}` }];
  // Before the first trade of the day volume is 0: that says nothing about depth, so only traded volume caps.
  if (contract.volume > 0) {
    caps.push({ contracts: Math.floor((contract.volume * rule.maxVolumePct) / 100), why: `${rule.maxVolumePct}% of volume ${contract.volume.toLocaleString('en-US')}` });
  }
  return caps.reduce((a, b) => (b.contracts < a.contracts ? b : a));
}
