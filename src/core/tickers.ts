/**
 * @module What a ticker is, in one place: the pattern, a user-typed ticker normalised, and ticker lists
 * as written in UNIVERSE, universe files and watchlists ("AAPL,NFLX" or one a line, # comments).
 */
import { UserInputError } from './errors.ts';

/** 1-10 letters, digits, "." or "-" after a leading letter; "^" starts an index (^VIX). */
export const TICKER_PATTERN = /^\^?[A-Z][A-Z0-9.-]{0,9}$/;

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

/**
 * A ticker list's text: entries separated by commas or newlines, `#` comments and blank entries dropped,
 * upper-cased, first occurrence kept. `invalid` lists what is not a ticker (the caller decides how to say so).
 */
export function parseTickerList(text: string): { tickers: string[]; invalid: string[] } {
  const entries = text
    .split(/[\r\n,]/)
    .map((line) => line.replace(/#.*/, '').trim().toUpperCase())
    .filter(Boolean);
  return {
    tickers: [...new Set(entries.filter((s) => TICKER_PATTERN.test(s)))],
    invalid: entries.filter((s) => !TICKER_PATTERN.test(s)),
  };
}
