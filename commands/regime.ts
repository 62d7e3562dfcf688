/** `/regime`: the market regime now, with its reasons and exposure multipliers. */
import { z } from 'zod';
import { regimeAlert } from '../src/notify/messages.ts';
import { defineCommand } from './spec.ts';

export const regime = defineCommand({
  name: 'regime',
  description: 'Current market regime (VIX and SPY trend) with reasons and multipliers',
  args: z.object({}),
  // Fetches market data or a quote per alert: may pass Discord's 3 s reply window.
  slow: true,
  async run(ctx) {
    // No `previous`: a reply states the regime as it is, it does not announce a change.
    return regimeAlert(await ctx.services.regime());
  },
});
