/**
 * @module Option commissions: what an order of N contracts costs on top of its premium, and the largest
 * order a budget pays for with its commission inside it. Pure; the schedule comes from the configuration.
 */
import { DEFAULTS } from '../config/defaults.ts';

export type FeeSchedule = {
  commissionPerContractUsd: number;
  minCommissionUsd: number;
  /** Ascending by `belowPremiumUsd`: the first tier whose bound exceeds the premium applies. */
  tiers?: readonly { belowPremiumUsd: number; perContractUsd: number }[];
};

/** The default schedule: IB's $0.65 per contract with a $1 minimum per order, whatever the premium. */
export const FLAT_IB_FEES: FeeSchedule = {
  commissionPerContractUsd: DEFAULTS.ledger.commissionPerContractUsd,
  minCommissionUsd: DEFAULTS.ledger.minCommissionUsd,
};

/** LEAN's InteractiveBrokersFeeModel (<= 10,000 contracts a month): cheaper per contract below $0.10 premium. */
export const LEAN_IB_OPTION_FEES: FeeSchedule = {
  commissionPerContractUsd: 0.65,
  minCommissionUsd: 1,
  tiers: [
    { belowPremiumUsd: 0.05, perContractUsd: 0.25 },
    { belowPremiumUsd: 0.1, perContractUsd: 0.5 },
  ],
};

/** The per-contract rate at `premiumUsd` per share. */
const perContractUsd = (premiumUsd: number, fees: FeeSchedule): number =>
  fees.tiers?.find((t) => premiumUsd < t.belowPremiumUsd)?.perContractUsd ?? fees.commissionPerContractUsd;

/** Commission for one order of `contracts` at `premiumUsd` per share. */
export function commissionUsd(contracts: number, premiumUsd: number, fees: FeeSchedule): number {
  if (contracts <= 0) return 0;
  return Math.max(fees.minCommissionUsd, contracts * perContractUsd(premiumUsd, fees));
}

/**
 * The most whole contracts whose premium (`contractCostUsd` each) and commission together stay within
 * `budgetUsd`: n x cost + max(minimum, n x rate) <= budget, so both n <= (budget - minimum) / cost and
 * n <= budget / (cost + rate) must hold.
 */
export function affordableContracts(budgetUsd: number, contractCostUsd: number, premiumUsd: number, fees: FeeSchedule): number {
  if (!(contractCostUsd > 0) || !(budgetUsd > 0)) return 0;
  const rate = perContractUsd(premiumUsd, fees);
  // The tiny epsilon keeps float noise (0.11 * 100 = 11.000000000000002) from costing a contract.
  const n = Math.floor(Math.min((budgetUsd - fees.minCommissionUsd) / contractCostUsd, budgetUsd / (contractCostUsd + rate)) + 1e-9);
  return Math.max(0, n);
}
