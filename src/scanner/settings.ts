/**
 * @module A cycle's settings from the configuration: the risk rules and everything `scanCycle` needs
 * besides its data. The bot's runtime and the backtest build their cycles here, so both decide alike.
 */
import type { Config } from '../config/config.ts';
import type { MarketData } from '../market/provider.ts';
import type { Store } from '../store/store.ts';
import type { AccountState } from '../trading/ledger/account.ts';
import type { RiskConfig } from '../trading/risk.ts';
import type { CycleDeps } from './cycle.ts';
import { issuerOf } from './universe.ts';

/** Sizing rules; `equityUsd` is the paper account's equity when a ledger tracks it, else ACCOUNT_EQUITY. */
export function riskFromConfig(config: Config, equityUsd = config.accountEquityUsd, kelly: RiskConfig['kelly'] = config.kelly): RiskConfig {
  return {
    equityUsd,
    riskCapPct: config.riskCapPct,
    maxOpenRiskPct: config.maxOpenRiskPct,
    kelly,
    fees: { commissionPerContractUsd: config.ledger.commissionPerContractUsd, minCommissionUsd: config.ledger.minCommissionUsd },
    liquidity: config.liquidity,
  };
}

export type CycleParts = {
  market: MarketData;
  store?: Store;
  universe: readonly string[];
  /** The account to size against: ACCOUNT_EQUITY and nothing open without one. */
  account?: AccountState;
  /** The day orders fill on (expiries count from it). */
  tradeDate: () => Date;
  now: () => Date;
  upstreamRequests?: () => number;
  kelly?: RiskConfig['kelly'];
};

export function cycleDepsFromConfig(config: Config, parts: CycleParts): CycleDeps {
  const { account } = parts;
  return {
    market: parts.market,
    ...(parts.store ? { store: parts.store } : {}),
    universe: parts.universe,
    regime: config.regime,
    concurrency: config.scanConcurrency,
    breakout: config.breakout,
    pick: config.options,
    risk: riskFromConfig(config, account?.equityUsd, parts.kelly),
    openRiskUsd: () => account?.openRiskUsd ?? 0,
    held: () => account?.held ?? [],
    allocation: { issuerOf, maxNewPositions: config.maxNewPositions },
    asOf: parts.tradeDate,
    now: parts.now,
    ...(parts.upstreamRequests ? { upstreamRequests: parts.upstreamRequests } : {}),
  };
}
