/**
 * @module The quote of one contract as the replay's current chain model (src/market/modeled-chain.ts,
 * `modelOptionChain`) prices it, for strikes off its listed grid: the calibration's "before". Same math:
 * one flat vol (20-day realized, floored at 8%), calendar days / 365, a spread of 5% of value (at least a
 * cent a side), rounded to cents. modeled-chain.ts keeps that math inline, so it is restated here and a
 * test holds the two equal on the strikes modelOptionChain lists.
 */
import { bsPrice } from '../analysis/black-scholes.ts';
import { realizedVol } from '../market/modeled-chain.ts';
import type { Bar } from '../market/types.ts';

const DAY_MS = 86_400_000;
const cents = (x: number) => Math.round(x * 100) / 100;

export type CurrentModelInputs = {
  right: 'call' | 'put';
  strike: number;
  /** The underlying's bars up to and including the as-of session, oldest first; spot is the last close. */
  bars: Bar[];
  /** Session dates at 00:00 UTC, as modelOptionChain takes them. */
  asOf: Date;
  expiry: Date;
  rate: number;
};

export type CurrentModelQuote = { bidUsd: number; askUsd: number; midUsd: number; ivAnnual: number };

export function currentModelQuote(i: CurrentModelInputs): CurrentModelQuote {
  const spot = i.bars.at(-1)?.close;
  if (spot === undefined) throw new RangeError('the current model needs at least one bar');
  const vol = realizedVol(i.bars);
  const years = Math.max(0, Math.round((i.expiry.getTime() - i.asOf.getTime()) / DAY_MS)) / 365;
  const fair = bsPrice({ right: i.right, spot, strike: i.strike, years, rate: i.rate, vol });
  const halfSpread = Math.max(0.01, fair * 0.025);
  const bidUsd = Math.max(0, cents(fair - halfSpread));
  const askUsd = cents(Math.max(fair + halfSpread, bidUsd + 0.01));
  return { bidUsd, askUsd, midUsd: (bidUsd + askUsd) / 2, ivAnnual: vol };
}

/** Bars from closes alone (the only field the current model reads), dated one day apart up to `asOf`. */
export function barsFromCloses(closes: readonly number[], asOf: Date): Bar[] {
  return closes.map((close, k) => {
    const time = new Date(asOf.getTime() - (closes.length - 1 - k) * DAY_MS);
    return { time, open: close, high: close, low: close, close, volume: 0 };
  });
}
