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

/**
 * YYYY-MM-DD that is a real calendar date (2026-02-30 is refused, not read as March 2); the message names
 * what was typed and shows `example`, e.g. "/diary 2026-11-20".
 */
export const dateArg = (description: string, example: string) =>
  z
    .string()
    .superRefine((raw, ctx) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `"${raw.slice(0, 20)}" is not a date; use YYYY-MM-DD, e.g. ${example}` });
        return;
      }
      const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const date = new Date(Date.UTC(year, month - 1, day));
      // Date.UTC rolls 2026-13-45 over into 2027; a real date survives the round trip unchanged.
      if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
        ctx.addIssue({ code: 'custom', message: `${raw} is not a calendar date; use YYYY-MM-DD, e.g. ${example}` });
      }
    })
    .describe(description);
