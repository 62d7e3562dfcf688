/**
 * The scan universe: the Nasdaq-100 and the cheap-volatility list (data files, editable), the UNIVERSE
 * setting, and per-chat watchlists. Every ticker is validated and the result is de-duplicated in order.
 */
import { readFileSync } from 'node:fs';
import { DATA_DIR } from '../core/paths.ts';
import { parseTickerList, TICKER_PATTERN } from '../core/tickers.ts';

const UNIVERSE_DIR = `${DATA_DIR}universe/`;

/** Read a ticker-list file (one a line, # comments and blank lines ignored; anything not a ticker dropped). */
export function readTickerFile(path: string): string[] {
  return parseTickerList(readFileSync(path, 'utf8')).tickers;
}

export const nasdaq100 = (): string[] => readTickerFile(`${UNIVERSE_DIR}nasdaq100.txt`);

let issuers: Map<string, string> | undefined;

/**
 * The company a ticker belongs to, for the one-name rule: GOOG and GOOGL are both "GOOGL" (the first ticker
 * of their line in data/universe/share-classes.txt); any other ticker is its own company.
 */
export function issuerOf(symbol: string): string {
  issuers ??= new Map(
    readFileSync(`${UNIVERSE_DIR}share-classes.txt`, 'utf8')
      .split(/\r?\n/)
      .map((line) => line.replace(/#.*/, '').trim().toUpperCase().split(/\s+/).filter(Boolean))
      .filter((tickers) => tickers.length > 1)
      .flatMap((tickers) => tickers.map((t) => [t, tickers[0]!] as const)),
  );
  return issuers.get(symbol.toUpperCase()) ?? symbol.toUpperCase();
}
export const cheapVolatility = (): string[] => readTickerFile(`${UNIVERSE_DIR}cheap-volatility.txt`);

/** Merge ticker lists, keeping the first occurrence's order and dropping anything that is not a ticker. */
export function mergeUniverse(...lists: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>();
  for (const list of lists) {
    for (const raw of list) {
      const symbol = raw.trim().toUpperCase();
      if (TICKER_PATTERN.test(symbol) && !symbol.startsWith('^')) seen.add(symbol);
    }
  }
  return [...seen];
}

/**
 * The universe to scan. `configured` (UNIVERSE) replaces the default lists; `fallback` is used instead of the
 * Nasdaq-100 + cheap-volatility lists when the data source can only answer for some symbols (replay).
 */
export function buildUniverse(opts: { configured?: string[]; fallback?: string[]; watchlists?: string[][] }): string[] {
  const base = opts.configured ?? opts.fallback ?? [...nasdaq100(), ...cheapVolatility()];
  return mergeUniverse(base, ...(opts.watchlists ?? []));
}
