/**
 * @module The units a modeled option quote is built in: time to expiry in NYSE trading days (not calendar
 * days), and the price grid US equity options quote on. Pure: New York dates (YYYY-MM-DD) and prices in.
 */
import { isWeekday } from './calendar.ts';
import { nyseExceptions } from './holidays.ts';

/** Trading sessions in a year: converts trading days to the `years` Black-Scholes takes. */
export const TRADING_DAYS_PER_YEAR = 252;

/**
 * How much of a regular session's variance an early-close session carries: its 3.5 hours of trading over
 * the regular 6.5 (09:30-13:00 vs 09:30-16:00). Prices move while the market is open, so a half day is
 * about half a day of risk. (GOOG's weekly expiring at the Christmas-Eve 2015 close implies a vol of 0.12
 * counted as a full session and 0.16 as 0.54 of one, next to 0.185 for the week after.)
 */
export const EARLY_CLOSE_SESSION_FRACTION = 3.5 / 6.5;

/** Far more calendar days than any listed equity option we model (LEAPS run ~3 years); guards the loop. */
const MAX_CALENDAR_DAYS = 1200;
const DAY_MS = 86_400_000;
/** Results by "asOf|expiry": a chain asks the same few pairs for every strike, and the answer never changes. */
const memo = new Map<string, number>();
const MEMO_LIMIT = 10_000;

/**
 * Trading days from the close of `asOfDate` to the close of `expiryDate`: the NYSE sessions strictly after
 * the as-of day up to and including the expiry day, an early close counting EARLY_CLOSE_SESSION_FRACTION.
 * Why trading days: weekends and holidays carry little of a stock's variance, so calendar days over-price
 * a Friday-to-Monday option and under-price a week of five sessions. An expiry on a closed day (the
 * Saturday expiries before 2015, a Good Friday) counts the sessions before it. 0 when expiry <= as-of.
 * @throws RangeError when a date is not YYYY-MM-DD, or the expiry is more than MAX_CALENDAR_DAYS away.
 */
export function tradingDaysToExpiry(asOfDate: string, expiryDate: string): number {
  const key = `${asOfDate}|${expiryDate}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  isWeekday(asOfDate); // validates both dates (throws a RangeError naming the bad one)
  isWeekday(expiryDate);
  const startMs = Date.parse(`${asOfDate}T00:00:00Z`);
  const endMs = Date.parse(`${expiryDate}T00:00:00Z`);
  if ((endMs - startMs) / DAY_MS > MAX_CALENDAR_DAYS) {
    throw new RangeError(`expiry ${expiryDate} is more than ${MAX_CALENDAR_DAYS} days after ${asOfDate}`);
  }
  let days = 0;
  for (let ms = startMs + DAY_MS; ms <= endMs; ms += DAY_MS) {
    const day = new Date(ms);
    const weekday = day.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const note = nyseExceptions(day.getUTCFullYear()).get(day.toISOString().slice(0, 10));
    if (note?.kind === 'holiday') continue;
    days += note?.kind === 'early-close' ? EARLY_CLOSE_SESSION_FRACTION : 1;
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, days);
  return days;
}

/** Trading days as a fraction of a trading year (the `years` of black-scholes.ts). */
export function tradingYears(tradingDays: number): number {
  return tradingDays / TRADING_DAYS_PER_YEAR;
}

/**
 * The quoting increment of an option class. 'penny': $0.01 below $3.00 and $0.05 from $3.00 (the Penny
 * Interval Program: today's liquid names). 'nickel': $0.05 below $3.00 and $0.10 from $3.00 (every other
 * class; GOOG, NWSA and FOXA quoted so in 2013-2015, as the calibration data shows).
 */
export type TickClass = 'penny' | 'nickel';

/** Where the increment steps up, in dollars per share of premium. */
const TICK_STEP_PRICE_USD = 3;
const TICK_CENTS: Record<TickClass, { below: number; above: number }> = {
  penny: { below: 1, above: 5 },
  nickel: { below: 5, above: 10 },
};

/** The tick in dollars for a premium of `priceUsd` in `tickClass`. */
export function tickSizeUsd(priceUsd: number, tickClass: TickClass): number {
  const cents = TICK_CENTS[tickClass];
  return (priceUsd < TICK_STEP_PRICE_USD ? cents.below : cents.above) / 100;
}

// Work in whole cents with a small tolerance: 0.30 / 0.05 is 5.999999999999999 in binary floating point.
const EPSILON_CENTS = 1e-6;

/**
 * Round a bid DOWN to its tick: a market maker never bids more than its model says. Negative -> 0 (no bid).
 * A bid that rounds to the $3.00 boundary and above uses the coarser tick.
 */
export function roundBidDownUsd(priceUsd: number, tickClass: TickClass): number {
  if (!(priceUsd > 0)) return 0;
  const tickCents = tickSizeUsd(priceUsd, tickClass) * 100;
  return (Math.floor(priceUsd * 100 / tickCents + EPSILON_CENTS) * tickCents) / 100;
}

/** Round an ask UP to its tick: a market maker never offers below its model. At least one tick. */
export function roundAskUpUsd(priceUsd: number, tickClass: TickClass): number {
  const positive = Math.max(priceUsd, 0);
  const tickCents = tickSizeUsd(positive, tickClass) * 100;
  const ceiled = (Math.ceil(positive * 100 / tickCents - EPSILON_CENTS) * tickCents) / 100;
  return Math.max(ceiled, tickSizeUsd(0, tickClass));
}
