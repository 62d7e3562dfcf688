/**
 * `/diary`: today's trading diary so far. Until the diary issue lands this is what the last cycle knows:
 * its regime, its signals and which plans were accepted or rejected, read from the stored cycle report.
 */
import { z } from 'zod';
import { formatMultiplier, formatZ } from '../src/notify/format.ts';
import type { Message } from '../src/notify/message.ts';
import { nyDate } from '../src/schedule/calendar.ts';
import { defineCommand } from './spec.ts';

/** Most signal lines shown; the rest are counted. */
const MAX_LINES = 20;

/** The parts of a stored CycleReport (JSON: dates are ISO strings, NaN is null) the diary shows. */
const StoredCycle = z.object({
  source: z.string(),
  startedAt: z.string(),
  regime: z.object({ state: z.string(), long: z.number(), short: z.number(), asOf: z.string() }),
  results: z.array(
    z.object({
      symbol: z.string(),
      signal: z.object({ side: z.string(), zScore: z.number() }).nullable(),
      plan: z.object({ status: z.string(), reason: z.string() }).nullable(),
      error: z.object({ kind: z.string() }).optional(),
    }),
  ),
  stats: z.object({ scanned: z.number(), signals: z.number(), accepted: z.number(), rejected: z.number(), errors: z.number() }),
});
type StoredCycle = z.infer<typeof StoredCycle>;

const nyTime = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function signalLines(cycle: StoredCycle): string[] {
  const lines = cycle.results.flatMap((r) => {
    if (!r.signal) return [];
    const head = `${r.symbol} ${r.signal.side} z ${formatZ(r.signal.zScore)}`;
    return [r.plan ? `${head} · ${r.plan.status}: ${r.plan.reason}` : `${head} · no plan`];
  });
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES), `…and ${lines.length - MAX_LINES} more`];
}

/** "2 tickers failed: NFLX, ZZZ" (at most 10 named). */
function errorsText(cycle: StoredCycle): string {
  const failed = cycle.results.filter((r) => r.error).map((r) => r.symbol);
  const n = cycle.stats.errors;
  const named = failed.length > 0 ? `: ${failed.slice(0, 10).join(', ')}${failed.length > 10 ? ', …' : ''}` : '';
  return `${n} ticker${n === 1 ? '' : 's'} failed${named}`;
}

/** The diary reply for the stored last cycle, or the "nothing yet" reply when there is none for `today`. */
export function diaryReply(stored: unknown, now: Date): Message {
  const today = nyDate(now);
  const parsed = StoredCycle.safeParse(stored);
  const started = parsed.success ? new Date(parsed.data.startedAt) : null;
  if (!parsed.success || !started || Number.isNaN(started.getTime()) || nyDate(started) !== today) {
    return { kind: 'reply', title: 'No cycle has run yet today.', fields: [], tone: 'info' };
  }
  const cycle = parsed.data;
  const lines = signalLines(cycle);
  const { stats, regime } = cycle;
  return {
    kind: 'diary',
    title: `📓 Diary so far (${today})`,
    description: lines.length > 0 ? lines.join('\n') : 'No breakouts in the last cycle.',
    fields: [
      { name: 'Regime', value: `${regime.state} · long ${formatMultiplier(regime.long)} / short ${formatMultiplier(regime.short)}`, inline: true },
      { name: 'Scanned', value: `${stats.scanned} tickers`, inline: true },
      { name: 'Signals', value: String(stats.signals), inline: true },
      { name: 'Accepted', value: String(stats.accepted), inline: true },
      { name: 'Rejected', value: String(stats.rejected), inline: true },
      ...(stats.errors > 0 ? [{ name: 'Errors', value: errorsText(cycle), inline: true }] : []),
    ],
    tone: 'info',
    footer: `Last cycle at ${nyTime.format(started)} New York time on ${cycle.source} data as of ${regime.asOf.slice(0, 10)}. Paper trades, not financial advice.`,
  };
}

export const diary = defineCommand({
  name: 'diary',
  description: "Today's trading diary so far: regime, signals, accepted and rejected trades",
  args: z.object({}),
  async run(ctx) {
    return diaryReply(await ctx.services.lastCycle(), ctx.now());
  },
});
