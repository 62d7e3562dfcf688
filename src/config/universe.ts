/** @module UNIVERSE: a ticker list, or `@file` with one ticker a line. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { parseTickerList } from '../core/tickers.ts';

/** Parse UNIVERSE: "AAPL,NFLX" or "@path/to/file" (one ticker a line, # comments allowed). */
export function parseUniverse(raw: string, cwd = process.cwd()): string[] {
  let text = raw;
  if (raw.startsWith('@')) {
    const path = resolve(cwd, raw.slice(1));
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError([`UNIVERSE: cannot read file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
    }
  }
  const { tickers, invalid } = parseTickerList(text);
  if (invalid.length > 0) {
    throw new ConfigError([
      `UNIVERSE: ${invalid.slice(0, 5).map((s) => JSON.stringify(s.slice(0, 20))).join(', ')} ${invalid.length === 1 ? 'is not a ticker' : 'are not tickers'}; use e.g. AAPL,NFLX or @universe.txt`,
    ]);
  }
  return tickers;
}
