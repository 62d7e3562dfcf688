/**
 * Replay: recorded real daily bars from disk, answered as of a given date. No bar after the as-of date
 * is ever visible, so a replayed cycle sees exactly what a live one would have seen that evening.
 * Option chains are modeled (see modeled-chain.ts) and say so.
 */
import type { Bar } from '../core/types.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from '../core/paths.ts';
import { MarketDataError } from '../core/errors.ts';
import { fridayExpiries, modelOptionChain } from './modeled-chain.ts';
import type { MarketData } from './provider.ts';
import type { OptionChain, Quote } from './types.ts';

/** The bars shipped with the project (see data/bars/SOURCE.md). */
export const BUNDLED_BARS_DIR = `${DATA_DIR}bars/`;

const DAY_MS = 86_400_000;

export type ReplayOptions = {
  dataDir?: string;
  /** The as-of session date (00:00 UTC). A function, so a fake clock can move a multi-day replay forward. */
  asOf: () => Date;
  /** Annual risk-free rate used to model option prices. */
  rate?: number;
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
    const time = new Date(`${cells[iDate!]}T00:00:00Z`);
    const bar = { time, open: n(iOpen), high: n(iHigh), low: n(iLow), close: n(iClose), volume: n(iVolume) };
    // Skip holes (empty or non-numeric cells) rather than feeding NaN into the analysis.
    if (Number.isNaN(time.getTime()) || !(bar.close > 0)) continue;
    bars.push(bar);
  }
  return bars;
}

/** Parsed files by path: recorded data does not change while the process runs. */
const parsedFiles = new Map<string, Bar[] | null>();

/** The bars of one recorded file, parsed once per process; null when there is no such file. */
function readBarsFile(dataDir: string, symbol: string): Bar[] | null {
  const path = join(dataDir, fileFor(symbol));
  if (!parsedFiles.has(path)) {
    try {
      parsedFiles.set(path, parseBarsCsv(readFileSync(path, 'utf8'), fileFor(symbol)));
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
    (readBarsFile(dataDir, symbol) ?? []).some((b) => b.time.getTime() >= from && b.time.getTime() <= asOf.getTime()),
  );
}

export function createReplayMarketData(opts: ReplayOptions): MarketData {
  const dataDir = opts.dataDir ?? BUNDLED_BARS_DIR;
  const rate = opts.rate ?? 0.02;
  const allBars = (symbol: string): Bar[] => {
    const bars = readBarsFile(dataDir, symbol);
    if (!bars) throw new MarketDataError('not_found', 'replay', symbol, `${symbol}: no recorded data in replay`);
    return bars;
  };

  /** Bars up to and including the as-of date: the look-ahead guard. */
  const barsAsOf = (symbol: string): Bar[] => {
    const cutoff = opts.asOf().getTime();
    const bars = allBars(symbol).filter((b) => b.time.getTime() <= cutoff);
    if (bars.length === 0) {
      throw new MarketDataError('not_found', 'replay', symbol, `${symbol}: no recorded bars on or before ${iso(opts.asOf())}`);
    }
    return bars;
  };

  return {
    name: 'replay',
    async dailyBars(symbol: string, lookbackDays: number): Promise<Bar[]> {
      const from = opts.asOf().getTime() - lookbackDays * DAY_MS;
      return barsAsOf(symbol).filter((b) => b.time.getTime() >= from);
    },
    async quote(symbol: string): Promise<Quote> {
      const bars = barsAsOf(symbol);
      const last = bars.at(-1)!;
      return { symbol, price: last.close, previousClose: bars.at(-2)?.close, time: last.time };
    },
    async optionChain(symbol: string, expiry?: Date): Promise<OptionChain> {
      const bars = barsAsOf(symbol);
      const asOf = opts.asOf();
      const stale = asOf.getTime() - bars.at(-1)!.time.getTime() > 7 * DAY_MS;
      if (stale) {
        throw new MarketDataError('not_found', 'replay', symbol, `${symbol}: no recorded bars near ${iso(asOf)}`);
      }
      const expiries = fridayExpiries(asOf, 6);
      const wanted = expiry ? expiries.find((e) => e.getTime() === expiry.getTime()) : expiries[0];
      if (!wanted) {
        throw new MarketDataError('not_found', 'replay', symbol, `${symbol}: no weekly expiry on ${iso(expiry!)}`);
      }
      return modelOptionChain({ underlying: symbol, bars, asOf, expiries, expiry: wanted, rate });
    },
  };
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
