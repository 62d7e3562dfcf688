/**
 * The shape of a modeled option chain, shared by the model (calibrated-chain.ts) and replay: which
 * expiries exist (weekly Fridays, moved off exchange holidays), the listed strike spacing, OCC symbols.
 * Pure.
 */
import type { Bar } from '../core/types.ts';
import { weeklyExpiry } from '../analysis/calendar.ts';
import type { OptionRight } from './types.ts';

const DAY_MS = 86_400_000;

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

/** "ROOT" + "YYMMDD" by underlying and expiry: a modeled chain names a few hundred contracts at a time. */
const occPrefixes = new Map<string, string>();

/** OCC symbol: ROOT + YYMMDD + C/P + strike x 1000 in 8 digits. */
export function occSymbol(underlying: string, expiry: Date, right: OptionRight, strike: number): string {
  const key = `${underlying}|${expiry.getTime()}`;
  let prefix = occPrefixes.get(key);
  if (prefix === undefined) {
    prefix = `${underlying.replace(/[^A-Z0-9]/g, '')}${expiry.toISOString().slice(2, 10).replaceAll('-', '')}`;
    if (occPrefixes.size >= 10_000) occPrefixes.clear();
    occPrefixes.set(key, prefix);
  }
  return `${prefix}${right === 'call' ? 'C' : 'P'}${String(Math.round(strike * 1000)).padStart(8, '0')}`;
}
