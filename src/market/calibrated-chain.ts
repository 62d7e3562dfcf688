/**
 * Option chains from the calibrated quote model (src/analysis/option-model.ts): VIX + realized level, skew,
 * trading-day time, vega-based spreads on the class's tick grid. Same inputs and shape as
 * `modelOptionChain` (modeled-chain.ts) plus the VIX close, so replay can switch with one line:
 *   calibratedOptionChain({ underlying: symbol, bars, asOf, expiries, expiry: wanted, rate, vixClose })
 * Pure. Every contract is `modeled: true`, and `model` says which inputs produced the prices.
 */
import {
  OPTION_MODEL_DEFAULTS,
  quoteFromLevel,
  volLevel,
  type OptionModelParams,
  type VolLevel,
} from '../analysis/option-model.ts';
import { tradingDaysToExpiry, type TickClass } from '../analysis/option-quote-units.ts';
import { occSymbol, strikeStep, type ChainModelInputs } from './modeled-chain.ts';
import type { OptionChain, OptionContract } from './types.ts';

export type CalibratedChainInputs = ChainModelInputs & {
  /** The VIX close of the as-of session (index points, 15.6). Unknown: the level rests on realized vol alone. */
  vixClose: number | undefined;
  /** Strikes to quote. Default: modelOptionChain's grid, 70%-130% of spot at the listed strike step. */
  strikes?: readonly number[];
  /** Quoting increment of the class. Default 'penny': the liquid names the scanner trades. */
  tickClass?: TickClass;
  params?: OptionModelParams;
  /** Stress factors for a backtest's sensitivity runs: implied vol x ivScale, spreads x spreadScale. Default 1. */
  stress?: ModelStress;
};

/** How a sensitivity run bends the model: 1 and 1 is the calibrated model as is. */
export type ModelStress = { ivScale: number; spreadScale: number };

/** What produced a calibrated chain's prices: enough to recompute any quote by hand. */
export type ChainModelNote = VolLevel & {
  model: 'calibrated';
  spot: number;
  rate: number;
  asOfDate: string;
  expiryDate: string;
  tradingDaysToExpiry: number;
  tickClass: TickClass;
  params: OptionModelParams;
};

export type CalibratedOptionChain = OptionChain & { model: ChainModelNote };

const cents = (x: number) => Math.round(x * 100) / 100;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** modelOptionChain's strike grid, so both models list the same contracts. */
export function defaultStrikes(spot: number): number[] {
  const step = strikeStep(spot);
  const lowest = Math.max(step, Math.floor((spot * 0.7) / step) * step);
  const highest = Math.ceil((spot * 1.3) / step) * step;
  const strikes: number[] = [];
  for (let strike = lowest; strike <= highest + 1e-9; strike += step) strikes.push(Math.round(strike * 100) / 100);
  return strikes;
}

/**
 * Open interest as modelOptionChain invents it: clustered at the money, none far out (deterministic, so
 * replays repeat). Neither model knows real interest; the bell keeps the contract picker's "no open
 * interest" rule working the same way on both.
 */
function modeledOpenInterest(strike: number, spot: number): number {
  const moneyness = Math.log(strike / spot);
  return Math.round(4000 * Math.exp(-(moneyness * moneyness) / 0.01));
}

/**
 * One expiry's chain priced by the calibrated model.
 * @throws RangeError without bars, or with neither a VIX close nor enough bars for realized vol.
 */
export function calibratedOptionChain(inputs: CalibratedChainInputs): CalibratedOptionChain {
  const last = inputs.bars.at(-1);
  if (!last) throw new RangeError(`cannot model a chain for ${inputs.underlying} without bars`);
  const stress = inputs.stress ?? { ivScale: 1, spreadScale: 1 };
  const base = inputs.params ?? OPTION_MODEL_DEFAULTS;
  const params = stress.spreadScale === 1 ? base : { ...base, spreadVolWidth: base.spreadVolWidth * stress.spreadScale };
  const tickClass = inputs.tickClass ?? 'penny';
  const spot = last.close;
  const modelLevel = volLevel(
    inputs.bars.map((b) => b.close),
    inputs.vixClose,
    params,
  );
  const level = stress.ivScale === 1 ? modelLevel : { ...modelLevel, ivAtmAnnual: modelLevel.ivAtmAnnual * stress.ivScale };
  const asOfDate = isoDate(inputs.asOf);
  const expiryDate = isoDate(inputs.expiry);
  const calls: OptionContract[] = [];
  const puts: OptionContract[] = [];
  for (const strike of inputs.strikes ?? defaultStrikes(spot)) {
    for (const right of ['call', 'put'] as const) {
      const q = quoteFromLevel(level, { right, spot, strike, asOfDate, expiryDate, rate: inputs.rate, tickClass }, params);
      const openInterest = modeledOpenInterest(strike, spot);
      (right === 'call' ? calls : puts).push({
        symbol: occSymbol(inputs.underlying, inputs.expiry, right, strike),
        underlying: inputs.underlying,
        right,
        strike,
        expiry: inputs.expiry,
        bid: q.bidUsd,
        ask: q.askUsd,
        // The model value before spread and ticks, as modelOptionChain reports it; never a trade.
        last: cents(q.fairUsd),
        volume: Math.round(openInterest / 4),
        openInterest,
        impliedVol: q.ivAnnual,
        modeled: true,
        delta: q.delta,
      });
    }
  }
  return {
    underlying: inputs.underlying,
    underlyingPrice: spot,
    expiries: inputs.expiries,
    expiry: inputs.expiry,
    calls,
    puts,
    modeled: true,
    asOf: inputs.asOf,
    model: {
      model: 'calibrated',
      ...level,
      spot,
      rate: inputs.rate,
      asOfDate,
      expiryDate,
      tradingDaysToExpiry: tradingDaysToExpiry(asOfDate, expiryDate),
      tickClass,
      params,
    },
  };
}
