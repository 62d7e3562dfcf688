/** `/regime`: the market regime now, with its reasons and exposure multipliers. */
import { z } from 'zod';
import { regimeAlert } from '../src/notify/messages.ts';
import { defineCommand } from './spec.ts';

export const regime = defineCommand({
  name: 'regime',
  description: 'Current market regime (VIX and SPY trend) with reasons and multipliers',
  args: z.object({}),
  // Fetches SPY and VIX bars: may pass Discord's 3 s reply window on a cold cache.
  slow: true,
  async run(ctx) {
    const regime = await ctx.services.regime();
    // No `previous`: a reply states the regime as it is, it does not announce a change.
    const { id: _id, tweet: _tweet, ...reply } = regimeAlert(regime);
    return { ...reply, kind: 'reply', data: { regime } };
  },
});
