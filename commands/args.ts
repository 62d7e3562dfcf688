/** Argument schemas shared by several commands. */
import { z } from 'zod';
import { UserInputError } from '../src/core/errors.ts';
import { parseTicker } from '../src/core/tickers.ts';

/**
 * A ticker as users type it ("nflx", "$NFLX") normalised to "NFLX". parseTicker's own message (what a ticker
 * looks like) becomes the zod issue, so parseArgs reports it under the field's name.
 */
export const tickerArg = (description: string) =>
  z
    .string()
    .transform((raw, ctx) => {
      try {
        return parseTicker(raw);
      } catch (err) {
        if (!(err instanceof UserInputError)) throw err;
        ctx.addIssue({ code: 'custom', message: err.message });
        return z.NEVER;
      }
    })
    .describe(description);

/** Universe tickers for autocomplete (the dispatcher filters by prefix and caps the count). */
export const universeTickers = async (ctx: { services: { universe(): Promise<string[]> } }): Promise<string[]> =>
  ctx.services.universe();

/** Most tickers one scan request may name: keeps a chat reply readable and one user's request bounded. */
export const MAX_TICKERS_PER_REQUEST = 40;

/** Several tickers, separated by spaces or commas ("NFLX TSLA", "nflx,$tsla"), each normalised, de-duplicated. */
export const tickerListArg = (description: string) =>
  z
    .string()
    .transform((raw, ctx) => {
      const words = raw.split(/[\s,]+/).filter(Boolean);
      if (words.length > MAX_TICKERS_PER_REQUEST) {
        ctx.addIssue({ code: 'custom', message: `at most ${MAX_TICKERS_PER_REQUEST} tickers at a time (got ${words.length})` });
        return z.NEVER;
      }
      try {
        return [...new Set(words.map(parseTicker))];
      } catch (err) {
        if (!(err instanceof UserInputError)) throw err;
        ctx.addIssue({ code: 'custom', message: err.message });
        return z.NEVER;
      }
    })
    .describe(description);

/**
 * Autocomplete for a ticker list: the last word completed from the universe, the words before it kept
 * ("NFLX TS" -> "NFLX TSLA", "NFLX TSM"), so the dispatcher's prefix filter still applies to the whole input.
 */
export const universeTickerList = async (ctx: { services: { universe(): Promise<string[]> } }, prefix: string): Promise<string[]> => {
  const words = prefix.split(/[\s,]+/);
  const head = words.slice(0, -1).filter(Boolean).map((w) => w.toUpperCase());
  return (await ctx.services.universe()).map((t) => [...head, t].join(' '));
};
