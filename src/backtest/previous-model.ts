/**
 * @module The option model replay used before calibration, kept as the calibration report's "before":
 * one flat vol (20-day realized, floored at 8%), calendar days / 365, a spread of 5% of value (at least a
 * cent a side), rounded to cents. Measured against real quotes it is off by a median 21-96% per chain-day;
 * the calibrated model (analysis/option-model.ts) replaced it.
 */
import type { Bar } from '../core/types.ts';
import { bsPrice } from '../analysis/black-scholes.ts';
import { logReturns, populationStdDev } from '../analysis/indicators.ts';

const DAY_MS = 86_400_000;
/** Realized-vol window (about one month of sessions), and the floor a quiet stretch got. */
const VOL_WINDOW = 20;
const MIN_VOL = 0.08;

/** Annualised close-to-close volatility of the last VOL_WINDOW log returns (floored at MIN_VOL). */
export function previousModelVol(bars: readonly Bar[]): number {
  const closes = bars.slice(-(VOL_WINDOW + 1)).map((b) => b.close);
  if (closes.length < 3) return MIN_VOL;
  return Math.max(MIN_VOL, populationStdDev(logReturns(closes)) * Math.sqrt(252));
}
const cents = (x: number) => Math.round(x * 100) / 100;

export type PreviousModelInputs = {
  right: 'call' | 'put';
  strike: number;
  /** The underlying's bars up to and including the as-of session, oldest first; spot is the last close. */
  bars: Bar[];
  /** Session dates at 00:00 UTC. */
  asOf: Date;
  expiry: Date;
  rate: number;
};

export type PreviousModelQuote = { bidUsd: number; askUsd: number; midUsd: number; ivAnnual: number };

export function previousModelQuote(i: PreviousModelInputs): PreviousModelQuote {
  const spot = i.bars.at(-1)?.close;
  if (spot === undefined) throw new RangeError('the previous model needs at least one bar');
  const vol = previousModelVol(i.bars);
  const years = Math.max(0, Math.round((i.expiry.getTime() - i.asOf.getTime()) / DAY_MS)) / 365;
  const fair = bsPrice({ right: i.right, spot, strike: i.strike, years, rate: i.rate, vol });
  const halfSpread = Math.max(0.01, fair * 0.025);
  const bidUsd = Math.max(0, cents(fair - halfSpread));
  const askUsd = cents(Math.max(fair + halfSpread, bidUsd + 0.01));
  return { bidUsd, askUsd, midUsd: (bidUsd + askUsd) / 2, ivAnnual: vol };
}

/** Bars from closes alone (the only field the previous model reads), dated one day apart up to `asOf`. */
export function barsFromCloses(closes: readonly number[], asOf: Date): Bar[] {
  return closes.map((close, k) => {
    const time = new Date(asOf.getTime() - (closes.length - 1 - k) * DAY_MS);
    return { time, open: close, high: close, low: close, close, volume: 0 };
  });
}
