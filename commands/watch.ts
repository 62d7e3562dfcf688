/** `/watch add|remove|list [ticker]` (admin): this chat's watchlist, scanned with the universe every cycle. */
import { z } from 'zod';
import { UserInputError } from '../src/core/errors.ts';
import type { Message } from '../src/notify/message.ts';
import { MAX_WATCHLIST } from '../src/scanner/watchlists.ts';
import { tickerArg, universeTickers } from './args.ts';
import { defineCommand } from './spec.ts';

const done = (title: string, description?: string): Message => ({
  kind: 'reply',
  title,
  fields: [],
  tone: 'info',
  ...(description ? { description } : {}),
});

export const watch = defineCommand({
  name: 'watch',
  description: "Add, remove or list the tickers this chat watches",
  args: z.object({
    action: z.enum(['add', 'remove', 'list']).describe('add, remove or list'),
    ticker: tickerArg('Ticker symbol for add or remove, e.g. NFLX').optional(),
  }),
  example: 'add NFLX',
  admin: true,
  autocomplete: { ticker: universeTickers },
  async run(ctx, { action, ticker }) {
    const lists = ctx.services.watchlists;
    if (action === 'list') {
      const symbols = await lists.list(ctx.chat);
      return symbols.length === 0
        ? done("This chat's watchlist is empty.", 'Add a ticker with /watch add NFLX.')
        : done(`Watchlist (${symbols.length}): ${symbols.join(', ')}`);
    }
    if (!ticker) throw new UserInputError('ticker', `ticker: required for /watch ${action}, e.g. /watch ${action} NFLX`);
    if (action === 'add') {
      if (!(await lists.add(ctx.chat, ticker))) {
        return done(`Watchlist is full (${MAX_WATCHLIST} tickers): remove one first with /watch remove.`);
      }
      return done(`Watching ${ticker} in this chat.`, 'It is scanned with the universe every cycle.');
    }
    return (await lists.remove(ctx.chat, ticker))
      ? done(`Stopped watching ${ticker}.`)
      : done(`${ticker} was not on this chat's watchlist.`);
  },
});
