/**
 * @module Calibration report: modeled option quotes against real ones, per chain-day. Pure: chain-days in
 * (calibration-data.ts), plain JSON-able data out; calibration-table.ts renders it.
 *
 * Scored contracts are chosen by the MARKET alone, so every model is judged on the same set: a two-sided
 * real quote (bid > 0, ask >= bid), out of the money, <= 45 calendar days and >= 1 trading session to
 * expiry, and |delta| 0.10-0.50 where delta is Black-Scholes at the implied vol of the real mid (trading-day
 * time). Error = |model mid - real mid| / real mid; spreads are (ask - bid) / mid of each quote.
 *
 * Event-priced expiries: an earnings report inside an expiry adds its jump to that expiry's variance, which
 * shows as a kink in the market's term structure. An expiry whose forward vol (the vol between the previous
 * expiry and it) exceeds EVENT_FORWARD_VOL_RATIO x the front vol is flagged, with every later one. The model
 * has no event input, so the report shows both all contracts and the rest ("ex-event").
 */
import { bsGreeks, impliedVol } from '../analysis/black-scholes.ts';
import { OPTION_MODEL_DEFAULTS, quoteFromLevel, volLevel, type OptionModelParams } from '../analysis/option-model.ts';
import { tradingDaysToExpiry, tradingYears } from '../analysis/option-quote-units.ts';
import type { ChainDay, RealQuote } from './calibration-data.ts';
import { barsFromCloses, previousModelQuote } from './previous-model.ts';

export const CALIBRATION_SELECTION = { minAbsDelta: 0.1, maxAbsDelta: 0.5, maxCalendarDaysToExpiry: 45 } as const;
/** The bar a model must clear on every chain-day: median error, and median spread inside the real IQR. */
export const CALIBRATION_TARGET = { maxMedianErrorPct: 15 } as const;
/**
 * An event adds its jump J to one interval's variance: a 4% earnings move inside one week lifts that week's
 * forward vol from 0.19 to ~0.34 (1.8x). A quiet term structure drifts by 10-20%, so 1.5x separates the two.
 */
export const EVENT_FORWARD_VOL_RATIO = 1.5;
/** The front vol is the first expiry with at least this many sessions: a 1-day option is noise and pin. */
const FRONT_MIN_TRADING_DAYS = 2;

/** A model's answer for one real contract. */
export type ModelQuote = { bidUsd: number; askUsd: number; midUsd: number; ivAnnual: number };
/** A model prepares once per chain-day (its vol level), then quotes contracts. `description` names its inputs. */
export type QuoteModel = { name: string; description: string; prepare: (day: ChainDay) => (q: RealQuote) => ModelQuote };

/** The new model (src/analysis/option-model.ts). */
export function calibratedModel(params: OptionModelParams = OPTION_MODEL_DEFAULTS, name = 'calibrated'): QuoteModel {
  const shown = Object.entries(params).map(([k, v]) => `${k} ${v}`).join(', ');
  return {
    name,
    description: `VIX + realized level, skew, trading days / 252, vega spread, tick grid (${shown})`,
    prepare: (day) => {
      const level = volLevel(day.closes, day.vixClose, params);
      const { spot, date: asOfDate, rate, tickClass } = day;
      return (q) => quoteFromLevel(level, { right: q.right, strike: q.strike, spot, asOfDate, expiryDate: q.expiry, rate, tickClass }, params);
    },
  };
}

/** The replay's model today (flat 20-day realized vol, 5% spread): the "before". */
export const previousModel: QuoteModel = {
  name: 'previous',
  description: 'flat 20-day realized vol (floor 0.08), calendar days / 365, spread 5% of value, cents (replay before calibration)',
  prepare: (day) => {
    const asOf = new Date(`${day.date}T00:00:00Z`);
    const bars = barsFromCloses(day.closes, asOf);
    return (q) => previousModelQuote({ right: q.right, strike: q.strike, bars, asOf, expiry: new Date(`${q.expiry}T00:00:00Z`), rate: day.rate });
  },
};

type Scored = { quote: RealQuote; realMidUsd: number; realSpreadPct: number; marketIvAnnual: number; tradingDays: number; byModel: Map<string, ModelQuote> };

const calendarDays = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The contracts of `day` the report scores, with the market's own IV (see the module note). */
export function selectContracts(day: ChainDay): Omit<Scored, 'byModel'>[] {
  const out: Omit<Scored, 'byModel'>[] = [];
  for (const quote of day.quotes) {
    const { bidUsd: bid, askUsd: ask, strike, right } = quote;
    if (bid === null || ask === null || !(bid > 0) || !(ask >= bid)) continue;
    if (right === 'call' ? strike <= day.spot : strike >= day.spot) continue;
    if (calendarDays(day.date, quote.expiry) > CALIBRATION_SELECTION.maxCalendarDaysToExpiry) continue;
    const tradingDays = tradingDaysToExpiry(day.date, quote.expiry);
    if (tradingDays <= 0) continue;
    const mid = (bid + ask) / 2;
    const base = { right, spot: day.spot, strike, years: tradingYears(tradingDays), rate: day.rate };
    const iv = impliedVol({ ...base, price: mid });
    if (!iv.ok) continue;
    const absDelta = Math.abs(bsGreeks({ ...base, vol: iv.vol }).delta);
    if (absDelta < CALIBRATION_SELECTION.minAbsDelta || absDelta > CALIBRATION_SELECTION.maxAbsDelta) continue;
    out.push({ quote, realMidUsd: mid, realSpreadPct: ((ask - bid) / mid) * 100, marketIvAnnual: iv.vol, tradingDays });
  }
  return out;
}

/** Linear-interpolation percentile (type 7, as numpy and Excel's PERCENTILE): null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (rank - lo) * (sorted[hi]! - sorted[lo]!);
}

export type ModelRow = {
  model: string;
  medianErrorPct: number | null;
  modelSpreadPct: number | null;
  spreadInIqr: boolean;
  meetsErrorTarget: boolean;
};
export type Scope = { n: number; realSpreadPct: { p25: number | null; p50: number | null; p75: number | null }; models: ModelRow[] };
export type ExpirySummary = {
  expiry: string;
  tradingDays: number;
  n: number;
  /** The market's IV at the strike nearest spot, and each model's IV there. */
  marketAtmIv: number;
  modelAtmIv: Record<string, number>;
  forwardVol: number;
  eventPriced: boolean;
  medianErrorPct: Record<string, number>;
};
export type DayReport = {
  symbol: string;
  date: string;
  spot: number;
  vixClose: number;
  rate: number;
  tickClass: string;
  closesKnown: number;
  all: Scope;
  exEvent: Scope;
  expiries: ExpirySummary[];
};
export type CalibrationReport = {
  selection: typeof CALIBRATION_SELECTION;
  target: typeof CALIBRATION_TARGET;
  eventForwardVolRatio: number;
  models: { name: string; description: string }[];
  days: DayReport[];
};

const errorPct = (s: Scored, model: string) => (Math.abs(s.byModel.get(model)!.midUsd - s.realMidUsd) / s.realMidUsd) * 100;
const spreadPct = (q: ModelQuote) => ((q.askUsd - q.bidUsd) / q.midUsd) * 100;

function scope(scored: readonly Scored[], models: readonly string[]): Scope {
  const real = scored.map((s) => s.realSpreadPct);
  const [p25, p50, p75] = [25, 50, 75].map((p) => percentile(real, p));
  return {
    n: scored.length,
    realSpreadPct: { p25: p25 ?? null, p50: p50 ?? null, p75: p75 ?? null },
    models: models.map((model) => {
      const medianErrorPct = percentile(scored.map((s) => errorPct(s, model)), 50);
      const modelSpreadPct = percentile(scored.map((s) => spreadPct(s.byModel.get(model)!)), 50);
      const spreadInIqr = modelSpreadPct !== null && p25 != null && p75 != null && modelSpreadPct >= p25 && modelSpreadPct <= p75;
      return { model, medianErrorPct, modelSpreadPct, spreadInIqr, meetsErrorTarget: medianErrorPct !== null && medianErrorPct <= CALIBRATION_TARGET.maxMedianErrorPct };
    }),
  };
}

/** Per expiry: the market's ATM vol, forward vol and event flag (see the module note), and each model's fit. */
function expirySummaries(scored: readonly Scored[], models: readonly string[], spot: number): ExpirySummary[] {
  const expiries = [...new Set(scored.map((s) => s.quote.expiry))].sort();
  const rows = expiries.map((expiry) => {
    const group = scored.filter((s) => s.quote.expiry === expiry);
    const atm = group.reduce((best, s) => (Math.abs(s.quote.strike - spot) < Math.abs(best.quote.strike - spot) ? s : best));
    return { expiry, group, atm, tradingDays: atm.tradingDays };
  });
  const front = rows.find((r) => r.tradingDays >= FRONT_MIN_TRADING_DAYS) ?? rows[0];
  let flagged = false;
  return rows.map((r, i) => {
    const prev = rows[i - 1];
    const v = r.atm.marketIvAnnual;
    const forwardVariance = prev ? (v * v * r.tradingDays - prev.atm.marketIvAnnual ** 2 * prev.tradingDays) / (r.tradingDays - prev.tradingDays) : v * v;
    const forwardVol = Math.sqrt(Math.max(0, forwardVariance));
    flagged ||= front !== undefined && forwardVol > EVENT_FORWARD_VOL_RATIO * front.atm.marketIvAnnual;
    return {
      expiry: r.expiry,
      tradingDays: r.tradingDays,
      n: r.group.length,
      marketAtmIv: v,
      modelAtmIv: Object.fromEntries(models.map((m) => [m, r.atm.byModel.get(m)!.ivAnnual])),
      forwardVol,
      eventPriced: flagged,
      medianErrorPct: Object.fromEntries(models.map((m) => [m, percentile(r.group.map((s) => errorPct(s, m)), 50)!])),
    };
  });
}

/** Score every chain-day against every model. */
export function calibrate(days: readonly ChainDay[], models: readonly QuoteModel[] = [previousModel, calibratedModel()]): CalibrationReport {
  const names = models.map((m) => m.name);
  return {
    selection: CALIBRATION_SELECTION,
    target: CALIBRATION_TARGET,
    eventForwardVolRatio: EVENT_FORWARD_VOL_RATIO,
    models: models.map(({ name, description }) => ({ name, description })),
    days: days.map((day): DayReport => {
      const quoters = models.map((m) => [m.name, m.prepare(day)] as const);
      const scored: Scored[] = selectContracts(day).map((s) => ({ ...s, byModel: new Map(quoters.map(([name, quote]) => [name, quote(s.quote)])) }));
      const expiries = expirySummaries(scored, names, day.spot);
      const eventExpiries = new Set(expiries.filter((e) => e.eventPriced).map((e) => e.expiry));
      return {
        symbol: day.symbol,
        date: day.date,
        spot: day.spot,
        vixClose: day.vixClose,
        rate: day.rate,
        tickClass: day.tickClass,
        closesKnown: day.closes.length,
        all: scope(scored, names),
        exEvent: scope(scored.filter((s) => !eventExpiries.has(s.quote.expiry)), names),
        expiries,
      };
    }),
  };
}
