/**
 * @module Point-in-time split and dividend adjustment of raw daily bars, from LEAN factor files
 * (data/bars/factor_files, see data/bars/SOURCE.md). Pure.
 *
 * A factor file lists rows `YYYYMMDD,priceFactor,splitFactor[,referencePrice]`; the factors of a day d are
 * those of the row with the smallest date >= d (a row's date is the last day its factors apply), as LEAN's
 * CorporateFactorProvider reads them. Adjusting "as of" a day D scales every earlier bar by
 * factor(d) / factor(D): on D itself prices are that day's real prices, and nothing after D is used, so a
 * split that happens later can never leak into an earlier decision. A 4:1 split then reads as the small
 * move it was, never a -75% day, and a reverse split never as a breakout.
 */
import type { Bar } from '../core/types.ts';

/** The factors in force up to and including `lastDate` (YYYY-MM-DD). */
export type FactorRow = { lastDate: string; priceFactor: number; splitFactor: number };

/** Parse a LEAN factor file; throws naming the line when a row is malformed. */
export function parseFactorFile(text: string, source: string): FactorRow[] {
  const rows: FactorRow[] = [];
  for (const [i, line] of text.trim().split(/\r?\n/).entries()) {
    const [date, price, split] = line.split(',');
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(date ?? '');
    const priceFactor = Number(price);
    const splitFactor = Number(split);
    if (!m || !(priceFactor > 0) || !(splitFactor > 0)) throw new Error(`${source} line ${i + 1}: not a factor row ("${line.slice(0, 60)}")`);
    rows.push({ lastDate: `${m[1]}-${m[2]}-${m[3]}`, priceFactor, splitFactor });
  }
  return rows.sort((a, b) => (a.lastDate < b.lastDate ? -1 : 1));
}

const isoDay = (time: Date) => time.toISOString().slice(0, 10);

/** The row in force on `date`: the first whose lastDate >= date; none after the last row (factor 1). */
function rowFor(rows: readonly FactorRow[], date: string): FactorRow | undefined {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.lastDate < date) lo = mid + 1;
    else hi = mid;
  }
  return rows[lo];
}

/** Split factor and split-and-dividend factor of `date` (1 when no row covers it). */
export function factorsOn(rows: readonly FactorRow[], date: string): { split: number; total: number } {
  const row = rowFor(rows, date);
  return row ? { split: row.splitFactor, total: row.splitFactor * row.priceFactor } : { split: 1, total: 1 };
}

/**
 * `bars` (raw, oldest first, none after `asOf`) adjusted as of `asOf` for splits and dividends: prices x
 * total(d) / total(asOf), volume / (split(d) / split(asOf)). Returns the bars unchanged when no factor
 * differs, so series without corporate actions cost nothing.
 */
export function adjustAsOf(bars: readonly Bar[], rows: readonly FactorRow[], asOf: string): Bar[] {
  const base = factorsOn(rows, asOf);
  return bars.map((bar) => {
    const f = factorsOn(rows, isoDay(bar.time));
    const price = f.total / base.total;
    const shares = f.split / base.split;
    if (price === 1 && shares === 1) return bar;
    return {
      time: bar.time,
      open: bar.open * price,
      high: bar.high * price,
      low: bar.low * price,
      close: bar.close * price,
      volume: bar.volume / shares,
    };
  });
}

/**
 * How many new shares one share held at the end of `fromDate` became by the end of `toDate`: 4 for AAPL's
 * 4:1 split between them, 0.125 for USO's 1:8 reverse split, 1 without a split. An option position opened
 * before a split is valued on these terms (OCC adjusts strike and deliverable by the same ratio).
 */
export function splitRatioBetween(rows: readonly FactorRow[], fromDate: string, toDate: string): number {
  return factorsOn(rows, toDate).split / factorsOn(rows, fromDate).split;
}

/**
 * A symbol's raw bars (oldest first) with each day's factors worked out once, so adjusting a window of it
 * as of any day costs one multiplication a bar: a backtest adjusts thousands of windows.
 */
export type AdjustableSeries = { bars: Bar[]; times: number[]; split: number[]; total: number[]; rows: FactorRow[] };

export function adjustableSeries(bars: Bar[], rows: FactorRow[]): AdjustableSeries {
  const times = bars.map((b) => b.time.getTime());
  if (rows.length === 0) {
    // No factor file (VIX, 9,000 rows from 1990): every factor is 1, and a CLI command waits for this.
    const ones = new Array<number>(bars.length).fill(1);
    return { bars, times, split: ones, total: ones, rows };
  }
  const factors = bars.map((b) => factorsOn(rows, isoDay(b.time)));
  return { bars, times, split: factors.map((f) => f.split), total: factors.map((f) => f.total), rows };
}

/** Index of the last bar dated at or before `timeMs` (binary search), or -1 when none is. */
export function lastIndexAtOrBefore(series: AdjustableSeries, timeMs: number): number {
  let lo = 0;
  let hi = series.times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (series.times[mid]! <= timeMs) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Bars `start`..`end` (inclusive) adjusted as of `asOf` (YYYY-MM-DD): the same result as adjustAsOf on them. */
export function adjustedWindow(series: AdjustableSeries, start: number, end: number, asOf: string): Bar[] {
  const base = factorsOn(series.rows, asOf);
  const out: Bar[] = [];
  for (let i = Math.max(0, start); i <= end; i++) {
    const bar = series.bars[i]!;
    const price = series.total[i]! / base.total;
    const shares = series.split[i]! / base.split;
    out.push(
      price === 1 && shares === 1
        ? bar
        : { time: bar.time, open: bar.open * price, high: bar.high * price, low: bar.low * price, close: bar.close * price, volume: bar.volume / shares },
    );
  }
  return out;
}
