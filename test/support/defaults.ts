/**
 * The default settings as the pure layers take them, built from the one defaults object (config/defaults.ts)
 * so tests never restate a default.
 */
import { DEFAULTS } from '../../src/config/defaults.ts';
import type { RegimeConfig } from '../../src/analysis/regime.ts';
import type { BreakoutConfig } from '../../src/analysis/volatility.ts';
import type { PickConfig } from '../../src/trading/options.ts';
import type { RiskConfig } from '../../src/trading/risk.ts';

export const REGIME: RegimeConfig = DEFAULTS.regime;
export const BREAKOUT: BreakoutConfig = DEFAULTS.breakout;
export const PICK: PickConfig = DEFAULTS.options;
export const RISK: RiskConfig = { equityUsd: DEFAULTS.accountEquityUsd, riskCapPct: DEFAULTS.riskCapPct, kelly: DEFAULTS.kelly };
