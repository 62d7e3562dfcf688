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
