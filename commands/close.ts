/**
 * `/close <position>` (admin): sell an open paper position at its contract's current bid; `/close all` sells
 * every one after a confirmation (./close-all.ts). The Close button of a trade alert runs `/close <position>`.
 */
import { z } from 'zod';
import { UserInputError } from '../src/core/errors.ts';
import { exitAlert } from '../src/notify/exit-alert.ts';
import { closeAll, ConfirmArg } from './close-all.ts';
import { defineCommand } from './spec.ts';

const PositionId = z
  .string()
  .regex(/^(#?\d{1,9}|all)$/i, { message: 'a position number from /positions, e.g. 3, or all' })
  .transform((id) => id.replace(/^#/, '').toLowerCase())
  .describe('Position number from /positions, e.g. 3, or all');

export const close = defineCommand({
  name: 'close',
  description: 'Close an open paper position (or all, after a confirmation) at the current bid',
  args: z.object({ position: PositionId, confirm: ConfirmArg.optional() }),
  example: '3',
  admin: true,
  slow: true,
  autocomplete: {
    position: async (ctx) => [...(await ctx.services.positions(ctx.now())).open.map((p) => p.id), 'all'],
  },
  async run(ctx, { position, confirm }) {
    if (position === 'all') return closeAll(ctx, confirm);
    if (confirm !== undefined) throw new UserInputError('confirm', 'confirm: only /close all asks for a confirmation');
    const event = await ctx.services.closePosition(position, ctx.now());
    if ('closed' in event) {
      throw new UserInputError('position', event.status === 'unknown' ? `No paper position #${position}; see /positions.` : `Position #${position} is already ${event.status}.`);
    }
    // The message the channels get as a follow-up of the trade alert, here as a plain reply (no alert id).
    const { id: _alertId, ...alert } = exitAlert(event);
    return { ...alert, kind: 'reply' };
  },
});
