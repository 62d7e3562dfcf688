/**
 * Replay: recorded real daily bars from disk, answered as of a given date. No bar after the as-of date
 * is ever visible, so a replayed cycle sees exactly what a live one would have seen that evening; bars
 * are split- and dividend-adjusted point in time (adjustments.ts), so the as-of day shows its real prices.
 * Prices are those of the moment asked about: the as-of close, or, while the next session is open on the
 * clock (a multi-day replay, a backtest's fill), that session's open, never an earlier close. Option chains
 * come from the calibrated model (calibrated-chain.ts) and say so.
 */
import type { Bar } from '../core/types.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from '../core/paths.ts';
import { MarketDataError } from '../core/errors.ts';
import { nyDate, previousTradingDay, sessionFor } from '../analysis/calendar.ts';
import { adjustableSeries, adjustedWindow, lastIndexAtOrBefore, parseFactorFile, splitRatioBetween, type AdjustableSeries, type FactorRow } from './adjustments.ts';
import { calibratedOptionChain, type ModelStress } from './calibrated-chain.ts';
import { fridayExpiries } from './modeled-chain.ts';
import type { MarketData } from './provider.ts';
import type { OptionChain, Quote } from './types.ts';

/** The bars shipped with the project (see data/bars/SOURCE.md). */
export const BUNDLED_BARS_DIR = `${DATA_DIR}bars/`;

const DAY_MS = 86_400_000;

const iso = (d: Date) => d.toISOString().slice(0, 10);

export type ReplayOptions = {
  dataDir?: string;
  /** The last closed session (00:00 UTC). A function, so a fake clock can move a multi-day replay forward. */
  asOf: () => Date;
  /**
   * The clock. While the session after `asOf` is open on it (a replayed 09:45 cycle), quotes and chains are
   * priced at that session's open, the only price of it known by then. Default: prices at the as-of close.
   */
  now?: () => Date;
  /** Annual risk-free rate used to model option prices. */
  rate?: number;
  /** Bend the option model (a backtest's sensitivity runs); the calibrated model as is by default. */
  stress?: ModelStress;
};

/** File name for a symbol: "^VIX" is stored as VIX.csv. */
const fileFor = (symbol: string) => `${symbol.replace(/^\^/, '')}.csv`;

/** Parse a daily-bar CSV by its header names (date, open, high, low, close, optional volume). */
export function parseBarsCsv(text: string, source: string): Bar[] {
  const lines = text.trim().split(/\r?\n/);
  const header = (lines.shift() ?? '').toLowerCase().split(',');
  const col = (name: string) => header.indexOf(name);
  const [iDate, iOpen, iHigh, iLow, iClose, iVolume] = ['date', 'open', 'high', 'low', 'close', 'volume'].map(col);
  if ([iDate, iOpen, iHigh, iLow, iClose].some((i) => i === undefined || i < 0)) {
    throw new Error(`${source}: header must name date, open, high, low, close (got "${header.join(',')}")`);
  }
  const bars: Bar[] = [];
  for (const line of lines) {
    const cells = line.split(',');
    const n = (i: number | undefined) => (i === undefined || i < 0 ? 0 : Number(cells[i]));
    const timeMs = dayMs(cells[iDate!] ?? '');
    const close = n(iClose);
    // Skip holes (empty or non-numeric cells) rather than feeding NaN into the analysis.
    if (Number.isNaN(timeMs) || !(close > 0)) continue;
    bars.push({ time: new Date(timeMs), open: n(iOpen), high: n(iHigh), low: n(iLow), close, volume: n(iVolume) });
  }
  return bars;
}

/**
 * 00:00 UTC of a YYYY-MM-DD date in ms, NaN when it is not one. By hand rather than `new Date(text)`: the
 * files hold ~30,000 dates, and string date parsing was half of reading them (a CLI command waits for it).
 */
function dayMs(text: string): number {
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return Number.NaN;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return Number.NaN;
  return Date.UTC(year, month - 1, day);
}

/** Parsed files by path: recorded data does not change while the process runs. */
const parsedFiles = new Map<string, AdjustableSeries | null>();
const parsedFactors = new Map<string, FactorRow[]>();

/** The LEAN factor rows of a symbol (factor_files/<symbol>.csv); none for series recorded adjusted. */
function readFactors(dataDir: string, symbol: string): FactorRow[] {
  const path = join(dataDir, 'factor_files', `${symbol.toLowerCase().replace(/^\^/, '')}.csv`);
  if (!parsedFactors.has(path)) {
    try {
      parsedFactors.set(path, parseFactorFile(readFileSync(path, 'utf8'), path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      parsedFactors.set(path, []);
    }
  }
  return parsedFactors.get(path)!;
}

/** The bars of one recorded file with their factors, parsed once per process; null when there is no such file. */
function readSeries(dataDir: string, symbol: string): AdjustableSeries | null {
  const path = join(dataDir, fileFor(symbol));
  if (!parsedFiles.has(path)) {
    try {
      const bars = parseBarsCsv(readFileSync(path, 'utf8'), fileFor(symbol));
      parsedFiles.set(path, adjustableSeries(bars, readFactors(dataDir, symbol)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      parsedFiles.set(path, null);
    }
  }
  return parsedFiles.get(path)!;
}

/**
 * Symbols the replay folder can answer for (VIX.csv is listed as ^VIX). With `asOf`, only those with a
 * recorded bar in the week up to that date, so a replayed scan does not list series that ended years ago.
 */
export function replaySymbols(dataDir = BUNDLED_BARS_DIR, asOf?: Date): string[] {
  const symbols = readdirSync(dataDir)
    .filter((f) => f.endsWith('.csv'))
    .map((f) => f.slice(0, -4))
    .map((s) => (s === 'VIX' ? '^VIX' : s))
    .sort();
  if (!asOf) return symbols;
  const from = asOf.getTime() - 7 * DAY_MS;
  return symbols.filter((symbol) =>
    (readSeries(dataDir, symbol)?.bars ?? []).some((b) => b.time.getTime() >= from && b.time.getTime() <= asOf.getTime()),
  );
}

/** Where prices stand: the as-of session's close, or the open of the session in progress after it. */
type PricePoint = { asOf: Date; date: string; at: 'close' | 'open' };

export function createReplayMarketData(opts: ReplayOptions): MarketData & { splitRatio(symbol: string, from: Date, to: Date): Promise<number> } {
  const dataDir = opts.dataDir ?? BUNDLED_BARS_DIR;
  const rate = opts.rate ?? 0.02;
  const bySymbol = new Map<string, AdjustableSeries | null>();
  const seriesOf = (symbol: string): AdjustableSeries => {
    if (!bySymbol.has(symbol)) bySymbol.set(symbol, readSeries(dataDir, symbol));
    const series = bySymbol.get(symbol);
    if (!series) throw new MarketDataError('not_found', 'replay', symbol, notRecorded(symbol));
    return series;
  };

  /** "NFLX: not in the recorded data, which has AAPL, ...": the user tried a ticker, so say which ones would work. */
  const notRecorded = (symbol: string): string => {
    const asOf = opts.asOf();
    const known = replaySymbols(dataDir, asOf).filter((s) => !s.startsWith('^'));
    return `${symbol}: not in the recorded data, which has ${known.length > 0 ? known.join(', ') : 'no ticker'} as of ${iso(asOf)}`;
  };

  /** The open session after the as-of date, when the clock is inside it; else the as-of close. */
  const pricePoint = (): PricePoint => {
    const asOf = opts.asOf();
    const date = iso(asOf);
    const now = opts.now?.();
    if (now) {
      const today = sessionFor(nyDate(now));
      if (today && today.date > date && previousTradingDay(today.date) === date && now >= today.open && now < today.close) {
        return { asOf, date: today.date, at: 'open' };
      }
    }
    return { asOf, date, at: 'close' };
  };

  /**
   * Raw bars up to the as-of date (the look-ahead guard) from `window` on (a start time, or the last `count`
   * bars), plus the session in progress when priced at its open, adjusted as of the pricing day so that day's
   * prices are real.
   */
  const barsAt = (symbol: string, point: PricePoint, window: { fromMs: number } | { count: number }): { closed: Bar[]; open: Bar | undefined } => {
    const series = seriesOf(symbol);
    const last = lastIndexAtOrBefore(series, point.asOf.getTime());
    if (last < 0) {
      throw new MarketDataError('not_found', 'replay', symbol, `${symbol}: no recorded bars on or before ${iso(point.asOf)}`);
    }
    const first = 'count' in window ? last - window.count + 1 : lastIndexAtOrBefore(series, window.fromMs - 1) + 1;
    const nextIndex = point.at === 'open' && iso(series.bars[last + 1]?.time ?? new Date(0)) === point.date ? last + 1 : last;
    const adjusted = adjustedWindow(series, first, nextIndex, point.date);
    return nextIndex > last ? { closed: adjusted.slice(0, -1), open: adjusted.at(-1) } : { closed: adjusted, open: undefined };
  };

  /** The VIX of the pricing moment (its open in a session in progress), for the option model. */
  const vixAt = (point: PricePoint): number | undefined => {
    try {
      const { closed, open } = barsAt('^VIX', point, { count: 1 });
      return open ? open.open : closed.at(-1)?.close;
    } catch {
      return undefined; // no VIX file: the model prices on realized vol alone
    }
  };

  return {
    name: 'replay',
    async dailyBars(symbol: string, lookbackDays: number): Promise<Bar[]> {
      const point = pricePoint();
      // Completed sessions only: a decision is made on closed bars, whatever the clock.
      return barsAt(symbol, point, { fromMs: point.asOf.getTime() - lookbackDays * DAY_MS }).closed;
    },
    async quote(symbol: string): Promise<Quote> {
      const point = pricePoint();
      const { closed, open } = barsAt(symbol, point, { count: 2 });
      const last = closed.at(-1)!;
      if (open) return { symbol, price: open.open, previousClose: last.close, time: sessionFor(point.date)!.open };
      return { symbol, price: last.close, previousClose: closed.at(-2)?.close, time: last.time };
    },
    async optionChain(symbol: string, expiry?: Date): Promise<OptionChain> {
      const point = pricePoint();
      // Enough closes for the model's realized-vol window (20 returns), with room to spare.
      const { closed, open } = barsAt(symbol, point, { count: 40 });
      const asOf = point.asOf;
      const stale = asOf.getTime() - closed.at(-1)!.time.getTime() > 7 * DAY_MS;
      if (stale) {
        throw new MarketDataError('not_found', 'replay', symbol, `${symbol}: no recorded bars near ${iso(asOf)}`);
      }
      const expiries = fridayExpiries(asOf, 6);
      const wanted = expiry ? expiries.find((e) => e.getTime() === expiry.getTime()) : expiries[0];
      if (!wanted) {
        throw new MarketDataError('not_found', 'replay', symbol, `${symbol}: no weekly expiry on ${iso(expiry!)}`);
      }
      // At an open, the spot is that open; time to expiry still counts from the last close (no session
      // time passes overnight), and the vol level rests on the closes known.
      const bars = open ? [...closed, { ...open, high: open.open, low: open.open, close: open.open }] : closed;
      return calibratedOptionChain({ underlying: symbol, bars, asOf, expiries, expiry: wanted, rate, vixClose: vixAt(point), ...(opts.stress ? { stress: opts.stress } : {}) });
    },
    async splitRatio(symbol: string, from: Date, to: Date): Promise<number> {
      return splitRatioBetween(readFactors(dataDir, symbol), iso(from), iso(to));
    },
  };
}
