/**
 * `/status`: is the bot alive and on schedule? Last and next run of each scheduled job (with its last
 * error), the last cycle's stats and failed tickers, the data source, the store and the uptime.
 * Everything shown is read, nothing is run.
 */
import { z } from 'zod';
import type { Message, MessageField } from '../src/notify/message.ts';
import type { JobStatus } from '../src/schedule/jobs.ts';
import { nyTimeOfDay } from '../src/schedule/timing.ts';
import { nyDate } from '../src/analysis/calendar.ts';
import type { InstanceStatus, StatusView } from './context.ts';
import { defineCommand } from './spec.ts';
import { StoredScanStats } from '../src/scanner/types.ts';

/** Failed tickers named at most; the rest are counted. */
const MAX_ERRORS_SHOWN = 5;

/** The parts of a stored CycleReport (JSON: dates are ISO strings) that /status shows. */
const StoredCycle = z.object({
  source: z.string(),
  startedAt: z.string(),
  results: z.array(z.object({ symbol: z.string(), error: z.object({ kind: z.string(), message: z.string() }).optional() })),
  stats: StoredScanStats,
});
type StoredCycle = z.infer<typeof StoredCycle>;

const nyFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "Mon, Mar 2, 09:45 ET". */
export const formatNyTime = (at: Date | string): string => `${nyFormat.format(new Date(at))} ET`;

/** "10:02 ET" on the same New York day as `now`, else "Mon, Mar 2, 10:02 ET". */
export const formatNyTimeSince = (at: Date | string, now: Date): string =>
  nyDate(new Date(at)) === nyDate(now) ? `${nyTimeOfDay(new Date(at))} ET` : formatNyTime(at);

/** "3d 4h 5m", "4h 5m", "5m", "0m". */
export function formatUptime(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  return [d ? `${d}d` : '', d || h ? `${h}h` : '', `${m}m`].filter(Boolean).join(' ');
}

/** "12 s" under a minute, else as formatUptime ("2h 5m"). */
const formatAgo = (ms: number): string => (ms < 60_000 ? `${Math.floor(Math.max(0, ms) / 1000)} s` : formatUptime(ms));

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function jobField(job: JobStatus): MessageField {
  const last = job.lastRun;
  const lines = [
    last
      ? `last ${formatNyTime(last.scheduledAt)}: ${last.outcome === 'ran' ? 'ok' : 'FAILED'} in ${seconds(last.durationMs)}${last.manual ? ' (on demand)' : ''} on ${last.instanceId}`
      : 'last: not yet',
    job.running ? 'running now' : `next ${job.nextRun ? formatNyTime(job.nextRun) : 'none scheduled'}`,
  ];
  if (job.lastError) lines.push(`last error ${formatNyTime(job.lastError.at)}: ${cut(job.lastError.message, 200)}`);
  return { name: job.name, value: lines.join('\n') };
}

function cycleFields(cycle: StoredCycle): MessageField[] {
  const s = cycle.stats;
  const fields: MessageField[] = [
    {
      name: 'Last cycle',
      value: `${formatNyTime(cycle.startedAt)} on ${cycle.source} data: ${s.scanned} scanned, ${s.signals} signals, ${s.accepted} accepted, ${s.rejected} rejected, ${s.errors} errors in ${seconds(s.durationMs)}`,
    },
  ];
  const failed = cycle.results.filter((r) => r.error);
  if (failed.length > 0) {
    const shown = failed.slice(0, MAX_ERRORS_SHOWN).map((r) => `${r.symbol} (${r.error?.kind}): ${cut(r.error?.message ?? '', 120)}`);
    if (failed.length > MAX_ERRORS_SHOWN) shown.push(`…and ${failed.length - MAX_ERRORS_SHOWN} more`);
    fields.push({ name: 'Cycle errors', value: shown.join('\n') });
  }
  return fields;
}

const STORE_NAMES: Record<StatusView['storeKind'], string> = {
  redis: 'Redis (shared by every instance)',
  sqlite: 'SQLite file (one bot process)',
  memory: 'memory (this process only)',
};

/** Whether a bot runs, from the heartbeats: the freshest live instance, or the last one seen and when. */
function botField(instances: InstanceStatus[] | undefined, here: string | null): MessageField {
  if (instances === undefined) return { name: 'Bot', value: here ? `running here (instance ${here}); heartbeats unreadable` : 'unknown: heartbeats unreadable' };
  const where = (i: InstanceStatus) => `instance ${i.instanceId} on ${i.host} (pid ${i.pid})`;
  const alive = instances.filter((i) => i.alive);
  if (alive.length > 0) {
    const others = alive.length > 1 ? `; ${alive.length - 1} more running` : '';
    return { name: 'Bot', value: `running: ${where(alive[0]!)}, last heartbeat ${formatAgo(alive[0]!.ageMs)} ago${others}` };
  }
  if (here) return { name: 'Bot', value: `running here (instance ${here})` };
  const last = instances[0];
  if (!last) return { name: 'Bot', value: 'not running: no bot has written a heartbeat to this store' };
  const how = last.stoppedAt ? 'stopped' : 'no clean stop: killed, or cut off from the store';
  return { name: 'Bot', value: `not running: last heartbeat ${formatAgo(last.ageMs)} ago (${where(last)}, ${how})` };
}

/** The /status reply. Amber when the store is unreachable, a job's last run failed or the last cycle had errors. */
export function statusReply(input: StatusView, now: Date = new Date()): Message {
  const cycle = StoredCycle.safeParse(input.lastCycle);
  const jobs = input.scheduler?.jobs ?? [];
  const unreachableSince = input.storeUnreachableSince ?? null;
  const troubled =
    unreachableSince !== null || jobs.some((j) => j.lastRun?.outcome === 'failed') || (cycle.success && cycle.data.stats.errors > 0);
  const kind = STORE_NAMES[input.storeKind];
  const store = unreachableSince ? `${kind}: store unreachable since ${formatNyTimeSince(unreachableSince, now)}` : kind;
  // This process's own running scheduler counts even before its first beat is read back.
  const here = input.scheduler?.started ? input.scheduler.instanceId : null;
  const alive = (input.instances ?? []).find((i) => i.alive);
  const running = here !== null || alive !== undefined;
  const uptimeMs = input.scheduler?.started ? input.scheduler.uptimeMs : alive ? now.getTime() - Date.parse(alive.startedAt) : null;
  return {
    kind: 'reply',
    title: `${troubled ? '⚠️' : running ? '🟢' : '⚪'} hundredx status: ${running ? 'running' : 'no bot running'}${troubled ? ', with errors' : ''}`,
    fields: [
      { name: 'Data source', value: input.source, inline: true },
      { name: 'Store', value: store, inline: true },
      ...(uptimeMs !== null ? [{ name: 'Uptime', value: formatUptime(uptimeMs), inline: true }] : []),
      botField(input.instances, here),
      ...(input.scheduler
        ? jobs.map(jobField)
        : [{ name: 'Scheduler', value: 'not running in this process: jobs run on another instance, or not at all' }]),
      ...(cycle.success ? cycleFields(cycle.data) : [{ name: 'Last cycle', value: 'none yet' }]),
      ...(input.paused ? [{ name: 'New entries', value: `⏸️ paused by ${input.paused.by} since ${formatNyTime(input.paused.at)} (/resume)` }] : []),
    ],
    tone: troubled ? 'warning' : 'info',
    ...(running ? { footer: `Instance ${here ?? alive!.instanceId}. Times are New York time.` } : {}),
  };
}

export const status = defineCommand({
  name: 'status',
  description: 'Bot health: last and next run of each job, last cycle and its errors, data source, uptime',
  args: z.object({}),
  async run(ctx) {
    const view = await ctx.services.status();
    return { ...statusReply(view, ctx.now()), data: view };
  },
});
