/** `/close <position>` (admin): sell an open paper position at its contract's current bid. */
import { z } from 'zod';
import { UserInputError } from '../src/core/errors.ts';
import { exitAlert } from '../src/notify/exit-alert.ts';
import { defineCommand } from './spec.ts';

const PositionId = z
  .string()
  .regex(/^#?\d{1,9}$/, { message: 'a position number from /positions, e.g. 3' })
  .transform((id) => id.replace(/^#/, ''))
  .describe('Position number from /positions, e.g. 3');

export const close = defineCommand({
  name: 'close',
  description: 'Close an open paper position at the current bid',
  args: z.object({ position: PositionId }),
  example: '3',
  admin: true,
  slow: true,
  autocomplete: {
    position: async (ctx) => (await ctx.services.positions(ctx.now())).open.map((p) => p.id),
  },
  async run(ctx, { position }) {
    const event = await ctx.services.closePosition(position, ctx.now());
    if ('closed' in event) {
      throw new UserInputError('position', event.status === 'unknown' ? `No paper position #${position}; see /positions.` : `Position #${position} is already ${event.status}.`);
    }
    // The message the channels get as a follow-up of the trade alert, here as a plain reply (no alert id).
    const { id: _alertId, ...alert } = exitAlert(event);
    return { ...alert, kind: 'reply' };
  },
});
