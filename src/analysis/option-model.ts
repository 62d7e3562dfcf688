/**
 * @module A calibrated model of end-of-day US equity option quotes, for days with no recorded chain. Pure:
 * closes, the VIX close and dates in; bid / ask / mid / implied vol / delta out, with the inputs that
 * produced them. Calibrated against real quotes (src/backtest/calibration.ts, data/options).
 *
 * 1. Level: ivAtm² = w·(β·VIX)² + (1 - w)·RV². The VIX is the market's 30-day implied vol, so it carries the
 *    variance premium option sellers charge over realized vol; β scales the index to one stock. RV is the
 *    stock's own realized vol: what makes GOOG differ from NWSA. No history: RV := fallback·VIX.
 * 2. Smile: iv(K) = ivAtm·(1 - skew·z + smile·z²), z = ln(K/F) / (ivAtm·√T), moneyness in standard
 *    deviations of the move to expiry, so one shape fits every stock and expiry. Puts (z < 0) richer.
 * 3. Time: NYSE trading days / 252 (option-quote-units.ts).
 * 4. Spread: market makers quote a vol range, so the dollar spread is vega × spreadVolWidth × iv: wider in
 *    percent for far-OTM and short-dated strikes, whose price is mostly vol. Then bid rounds down and ask up
 *    to the class's tick, which makes cheap options wide (a $0.05 tick on a $0.15 option is a third).
 *
 * 5. American exercise: the value never falls below intrinsic.
 *
 * Not modeled: earnings and other scheduled events (an expiry after a report trades at a higher vol),
 * dividends (American early exercise), holiday-week quietness. See the calibration report for their size.
 */
import { bsGreeks, bsPrice } from './black-scholes.ts';
import { logReturns, populationStdDev } from './indicators.ts';
import { roundAskUpUsd, roundBidDownUsd, tradingDaysToExpiry, tradingYears, TRADING_DAYS_PER_YEAR, type TickClass } from './option-quote-units.ts';

export type OptionModelParams = {
  /** β: a stock's implied vol over the VIX. */
  vixMultiple: number;
  /** w: weight of the VIX leg in the level (variance blend), against the stock's own realized vol. */
  vixWeight: number;
  /** Daily log returns in the realized-vol window. */
  realizedWindowDays: number;
  /** Stand-in for realized vol, as a multiple of the VIX, when the stock has fewer closes than the window. */
  fallbackVixMultiple: number;
  /** Relative vol change per standard deviation of moneyness (linear term, positive = puts richer). */
  skewPerSd: number;
  /** Relative vol change per squared standard deviation (curvature: both wings richer). */
  smilePerSd2: number;
  /** Quoted width as a fraction of the vol; the dollar spread is vega × spreadVolWidth × iv. */
  spreadVolWidth: number;
};

/**
 * The calibrated defaults. Fit on 5 chain-days of real quotes (GOOG 2015-12-23/24, NWSA 2013-06-27/28,
 * FOXA 2013-07-02); values rounded to what the data can tell apart.
 */
export const OPTION_MODEL_DEFAULTS = {
  // Large caps trade ~1.1-1.3x the VIX in calm markets (GOOG 2015: ATM 0.19 with the VIX at 15.6).
  vixMultiple: 1.2,
  // Half market level, half own history: the VIX alone cannot tell a quiet stock from a wild one, and
  // 20 days of realized vol alone is noisy and misses the variance premium.
  vixWeight: 0.5,
  // About a month of sessions, as the VIX's 30-day horizon and the old model's 20-day window.
  realizedWindowDays: 20,
  // A stock with no history (a spin-off: NWSA and FOXA in mid-2013) is taken as an average single name, not
  // a calm mega-cap: index variance ~ rho x single-stock variance, and with the usual average correlation
  // rho ~ 0.35 a single name runs ~1/sqrt(0.35) = 1.7x the index. (NWSA/FOXA: 0.23-0.25 with the VIX at 16.5.)
  fallbackVixMultiple: 1.7,
  // Equity skew: one standard deviation down-strike adds ~10% to the vol (GOOG Jan 2016: 0.19 ATM,
  // 0.22 at -1.4 sd, 0.17 at +1.1 sd).
  skewPerSd: 0.1,
  // A small convexity so out-of-the-money calls flatten out instead of falling forever (NWSA calls).
  smilePerSd2: 0.02,
  // At the money vega x iv ~ the price, so the spread there is ~6% of it (GOOG's at-the-money quotes: 4-15%);
  // out-of-the-money and short-dated strikes, mostly vol, come out wider (GOOG's real median: 17%).
  spreadVolWidth: 0.06,
} as const satisfies OptionModelParams;

/** Beyond 3 standard deviations the smile stays flat: a parabola there would explode for 1-day strikes. */
const SMILE_CLAMP_SD = 3;
/** No stock is quieter than this: guards a halted or pegged series (the old model floored at 0.08). */
const MIN_IV_ANNUAL = 0.05;

/** How the at-the-money level was formed: which inputs it used. */
export type VolLevel = {
  ivAtmAnnual: number;
  /** The stock's realized vol over the window, or null when it had fewer closes. */
  realizedVolAnnual: number | null;
  /** The VIX close used (index points, 15.6), or null when none was given. */
  vixClose: number | null;
  source: 'vix+realized' | 'vix+fallback' | 'realized';
};

/** Annualised close-to-close vol of the last `windowDays` log returns, or null with fewer closes. */
export function realizedVolAnnual(closes: readonly number[], windowDays: number): number | null {
  if (closes.length < windowDays + 1) return null;
  const sd = populationStdDev(logReturns(closes.slice(-(windowDays + 1))));
  return Number.isFinite(sd) ? sd * Math.sqrt(TRADING_DAYS_PER_YEAR) : null;
}

/**
 * The at-the-money implied vol for a stock as of its last close. Without a VIX close the level is the
 * realized vol alone (no market input to blend); with neither a VIX close nor enough closes there is
 * nothing to model from.
 * @throws RangeError when there is neither a VIX close nor `realizedWindowDays` + 1 closes.
 */
export function volLevel(closes: readonly number[], vixClose: number | undefined, params: OptionModelParams = OPTION_MODEL_DEFAULTS): VolLevel {
  const realized = realizedVolAnnual(closes, params.realizedWindowDays);
  const vix = vixClose !== undefined && Number.isFinite(vixClose) && vixClose > 0 ? vixClose : null;
  if (vix === null) {
    if (realized === null) {
      throw new RangeError(`option model needs a VIX close or ${params.realizedWindowDays + 1} closes, got ${closes.length} closes and no VIX`);
    }
    return { ivAtmAnnual: Math.max(MIN_IV_ANNUAL, realized), realizedVolAnnual: realized, vixClose: null, source: 'realized' };
  }
  const vixLeg = (params.vixMultiple * vix) / 100;
  const stockLeg = realized ?? (params.fallbackVixMultiple * vix) / 100;
  const variance = params.vixWeight * vixLeg ** 2 + (1 - params.vixWeight) * stockLeg ** 2;
  return {
    ivAtmAnnual: Math.max(MIN_IV_ANNUAL, Math.sqrt(variance)),
    realizedVolAnnual: realized,
    vixClose: vix,
    source: realized === null ? 'vix+fallback' : 'vix+realized',
  };
}

/** Moneyness in standard deviations of the move to expiry: ln(K/F) / (ivAtm·√T); 0 when T = 0. */
export function moneynessSd(strike: number, forward: number, ivAtmAnnual: number, years: number): number {
  if (!(years > 0) || !(ivAtmAnnual > 0)) return 0;
  return Math.log(strike / forward) / (ivAtmAnnual * Math.sqrt(years));
}

/** The smile: the implied vol at `zSd` standard deviations of moneyness (clamped to ±SMILE_CLAMP_SD). */
export function smileVolAnnual(ivAtmAnnual: number, zSd: number, params: OptionModelParams = OPTION_MODEL_DEFAULTS): number {
  const z = Math.min(SMILE_CLAMP_SD, Math.max(-SMILE_CLAMP_SD, zSd));
  return Math.max(MIN_IV_ANNUAL, ivAtmAnnual * (1 - params.skewPerSd * z + params.smilePerSd2 * z * z));
}

export type ContractSpec = {
  right: 'call' | 'put';
  /** Underlying close on the as-of date, $ per share. */
  spot: number;
  strike: number;
  /** New York dates, YYYY-MM-DD: valued at the as-of close, to the expiry close. */
  asOfDate: string;
  expiryDate: string;
  /** Annual risk-free rate, continuously compounded (0.02 = 2%). */
  rate: number;
  tickClass: TickClass;
};

export type ModeledQuote = {
  bidUsd: number;
  askUsd: number;
  /** (bid + ask) / 2: what a user sees as the price. */
  midUsd: number;
  /** Black-Scholes value at `ivAnnual`, before the spread and ticks. */
  fairUsd: number;
  /** (ask - bid) / mid × 100. */
  spreadPct: number;
  ivAnnual: number;
  ivAtmAnnual: number;
  delta: number;
  zSd: number;
  tradingDaysToExpiry: number;
  years: number;
};

/** One contract's modeled quote from a vol level (share the level across a chain). */
export function quoteFromLevel(level: VolLevel, c: ContractSpec, params: OptionModelParams = OPTION_MODEL_DEFAULTS): ModeledQuote {
  const days = tradingDaysToExpiry(c.asOfDate, c.expiryDate);
  const years = tradingYears(days);
  const forward = c.spot * Math.exp(c.rate * years);
  const zSd = moneynessSd(c.strike, forward, level.ivAtmAnnual, years);
  const ivAnnual = smileVolAnnual(level.ivAtmAnnual, zSd, params);
  const bs = { right: c.right, spot: c.spot, strike: c.strike, years, rate: c.rate, vol: ivAnnual };
  // Listed US equity options are American: never worth less than exercising them now. Black-Scholes
  // values a deep in-the-money put a little below intrinsic (the interest on the strike), which a quote
  // never shows; without the floor the picker would call such quotes stale.
  const intrinsicUsd = Math.max(0, c.right === 'call' ? c.spot - c.strike : c.strike - c.spot);
  const fairUsd = Math.max(bsPrice(bs), intrinsicUsd);
  const greeks = bsGreeks(bs);
  const halfSpreadUsd = 0.5 * greeks.vegaPerUnit * params.spreadVolWidth * ivAnnual;
  const bidUsd = roundBidDownUsd(fairUsd - halfSpreadUsd, c.tickClass);
  // At least one tick above the bid: a market with ask = bid would be locked.
  const askUsd = Math.max(roundAskUpUsd(fairUsd + halfSpreadUsd, c.tickClass), roundAskUpUsd(bidUsd + 1e-9, c.tickClass));
  const midUsd = (bidUsd + askUsd) / 2;
  return {
    bidUsd,
    askUsd,
    midUsd,
    fairUsd,
    spreadPct: ((askUsd - bidUsd) / midUsd) * 100,
    ivAnnual,
    ivAtmAnnual: level.ivAtmAnnual,
    delta: greeks.delta,
    zSd,
    tradingDaysToExpiry: days,
    years,
  };
}

/** The modeled quote of one contract from the stock's closes (oldest first, up to the as-of day) and the VIX. */
export function modelOptionQuote(
  c: ContractSpec & { closes: readonly number[]; vixClose?: number },
  params: OptionModelParams = OPTION_MODEL_DEFAULTS,
): ModeledQuote & { level: VolLevel } {
  const level = volLevel(c.closes, c.vixClose, params);
  return { ...quoteFromLevel(level, c, params), level };
}
