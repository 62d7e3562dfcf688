/**
 * Option chains modeled with Black-Scholes, for replay where no recorded chain exists for the day.
 * Pure: the caller passes the underlying's bars as known on the as-of date. Every contract is marked
 * `modeled: true` so users are told the prices come from a model, not a market.
 */
import type { Bar } from '../core/types.ts';
import { bsPrice } from '../analysis/black-scholes.ts';
import { logReturns, populationStdDev } from '../analysis/indicators.ts';
import { weeklyExpiry } from '../analysis/calendar.ts';
import type { OptionChain, OptionContract, OptionRight } from './types.ts';

const DAY_MS = 86_400_000;
/** Trading days a year, to annualise daily realized volatility. */
const TRADING_DAYS = 252;
/** Realized-vol window (about one month of sessions). */
const VOL_WINDOW = 20;
/** Floor so a quiet stretch does not model free options. */
const MIN_VOL = 0.08;

export type ChainModelInputs = {
  underlying: string;
  /** Bars up to and including the as-of session, oldest first. */
  bars: Bar[];
  /** As-of session date (00:00 UTC); options are valued at that session's close (16:00 New York). */
  asOf: Date;
  expiries: Date[];
  expiry: Date;
  rate: number;
};

/** Annualised close-to-close volatility of the last VOL_WINDOW log returns (floored at MIN_VOL). */
export function realizedVol(bars: Bar[]): number {
  const closes = bars.slice(-(VOL_WINDOW + 1)).map((b) => b.close);
  if (closes.length < 3) return MIN_VOL;
  const sd = populationStdDev(logReturns(closes));
  return Math.max(MIN_VOL, sd * Math.sqrt(TRADING_DAYS));
}

/** Listed strike spacing by price, close to what US equity weeklies use. */
export function strikeStep(spot: number): number {
  if (spot < 25) return 0.5;
  if (spot < 100) return 1;
  if (spot < 250) return 2.5;
  if (spot < 1000) return 5;
  return 10;
}

/**
 * The weekly expiries of the next `count` Fridays strictly after `asOf` (calendar-day dates at 00:00 UTC).
 * When the exchange is shut on a Friday the expiry is the trading day before (Good Friday -> Thursday),
 * which can be `asOf` itself.
 */
export function fridayExpiries(asOf: Date, count = 5): Date[] {
  const out: Date[] = [];
  const daysToFriday = (5 - asOf.getUTCDay() + 7) % 7 || 7;
  for (let i = 0; i < count; i++) {
    const friday = new Date(asOf.getTime() + (daysToFriday + 7 * i) * DAY_MS).toISOString().slice(0, 10);
    out.push(new Date(`${weeklyExpiry(friday)}T00:00:00Z`));
  }
  return out;
}

const cents = (x: number) => Math.round(x * 100) / 100;

/** OCC symbol: ROOT + YYMMDD + C/P + strike x 1000 in 8 digits. */
export function occSymbol(underlying: string, expiry: Date, right: OptionRight, strike: number): string {
  const ymd = expiry.toISOString().slice(2, 10).replaceAll('-', '');
  const strikeCode = String(Math.round(strike * 1000)).padStart(8, '0');
  return `${underlying.replace(/[^A-Z0-9]/g, '')}${ymd}${right === 'call' ? 'C' : 'P'}${strikeCode}`;
}

export function modelOptionChain(inputs: ChainModelInputs): OptionChain {
  const last = inputs.bars.at(-1);
  if (!last) throw new RangeError(`cannot model a chain for ${inputs.underlying} without bars`);
  const spot = last.close;
  const vol = realizedVol(inputs.bars);
  // Value at the as-of close (16:00 New York ~ 20:00-21:00 UTC) to the expiry's close: whole calendar days.
  const years = Math.max(0, Math.round((inputs.expiry.getTime() - inputs.asOf.getTime()) / DAY_MS)) / 365;
  const step = strikeStep(spot);
  const lowest = Math.max(step, Math.floor((spot * 0.7) / step) * step);
  const highest = Math.ceil((spot * 1.3) / step) * step;
  const calls: OptionContract[] = [];
  const puts: OptionContract[] = [];
  for (let strike = lowest; strike <= highest + 1e-9; strike += step) {
    const k = Math.round(strike * 100) / 100;
    for (const right of ['call', 'put'] as const) {
      const fair = bsPrice({ right, spot, strike: k, years, rate: inputs.rate, vol });
      // A spread of ~5% of value, at least a penny each side: typical of liquid weeklies.
      const halfSpread = Math.max(0.01, fair * 0.025);
      const bid = Math.max(0, cents(fair - halfSpread));
      const ask = cents(Math.max(fair + halfSpread, bid + 0.01));
      // Interest clusters at the money; far strikes trade little. Deterministic, so replays repeat.
      const moneyness = Math.log(k / spot);
      const openInterest = Math.round(4000 * Math.exp(-(moneyness * moneyness) / 0.01));
      const contract: OptionContract = {
        symbol: occSymbol(inputs.underlying, inputs.expiry, right, k),
        underlying: inputs.underlying,
        right,
        strike: k,
        expiry: inputs.expiry,
        bid,
        ask,
        last: cents(fair),
        volume: Math.round(openInterest / 4),
        openInterest,
        impliedVol: vol,
        modeled: true,
      };
      (right === 'call' ? calls : puts).push(contract);
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
  };
}
