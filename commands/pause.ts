/**
 * `/pause` and `/resume` (admin): stop new paper entries and allow them again. While paused the cycles still
 * scan and alert (the plans say "new entries paused"), and open positions are still marked, exited and
 * settled: pausing never strands a position. The flag lives in the shared store, so every instance obeys it.
 */
import { z } from 'zod';
import { formatNyTime } from './status.ts';
import { defineCommand } from './spec.ts';

export const pause = defineCommand({
  name: 'pause',
  description: 'Stop opening new paper positions (exits and marks go on)',
  args: z.object({}),
  admin: true,
  async run(ctx) {
    const already = await ctx.services.paused();
    if (already) {
      return { kind: 'reply', title: `⏸️ New entries are already paused (by ${already.by}, ${formatNyTime(already.at)}).`, fields: [], tone: 'info', data: already };
    }
    const state = { by: ctx.user, at: ctx.now().toISOString() };
    await ctx.services.setPaused(state);
    return {
      kind: 'reply',
      title: '⏸️ New paper entries paused.',
      description: 'Scans and alerts go on, and signals are reported as not taken. Open positions are still marked, closed and settled. /resume to allow new entries.',
      fields: [],
      tone: 'warning',
      data: state,
    };
  },
});

export const resume = defineCommand({
  name: 'resume',
  description: 'Allow new paper positions again after /pause',
  args: z.object({}),
  admin: true,
  async run(ctx) {
    const was = await ctx.services.paused();
    if (!was) return { kind: 'reply', title: '▶️ New entries were not paused.', fields: [], tone: 'info', data: null };
    await ctx.services.setPaused(null);
    return { kind: 'reply', title: '▶️ New paper entries allowed again.', description: `Paused by ${was.by} since ${formatNyTime(was.at)}.`, fields: [], tone: 'info', data: was };
  },
});
