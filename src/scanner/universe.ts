/**
 * The scan universe: the Nasdaq-100 and the cheap-volatility list (data files, editable), the UNIVERSE
 * setting, and per-chat watchlists. Every ticker is validated and the result is de-duplicated in order.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TICKER_PATTERN } from '../config/config.ts';
import { UserInputError } from '../core/errors.ts';

const UNIVERSE_DIR = fileURLToPath(new URL('../../data/universe/', import.meta.url));

/** Read a one-ticker-a-line file (# comments and blank lines ignored). */
export function readTickerFile(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim().toUpperCase())
    .filter(Boolean);
}

export const nasdaq100 = (): string[] => readTickerFile(`${UNIVERSE_DIR}nasdaq100.txt`);
export const cheapVolatility = (): string[] => readTickerFile(`${UNIVERSE_DIR}cheap-volatility.txt`);

/**
 * Normalise a user-typed ticker ("nflx", "$NFLX", " NFLX ") or throw a UserInputError that says what a
 * ticker looks like. Input is cut before echoing so a 5,000-character argument cannot flood a reply.
 */
export function parseTicker(raw: string): string {
  const symbol = raw.trim().replace(/^\$/, '').toUpperCase();
  if (!TICKER_PATTERN.test(symbol)) {
    const shown = raw.length > 20 ? `${raw.slice(0, 20)}…` : raw;
    throw new UserInputError('ticker', `"${shown}" is not a ticker: use 1-10 letters, digits, "." or "-", e.g. NFLX or BRK.B`);
  }
  return symbol;
}

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
