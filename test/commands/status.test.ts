import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.ts';
import { formatUptime, statusReply } from '../../commands/status.ts';
import { BotServices } from '../../src/app/services.ts';
import { Dispatcher } from '../../commands/dispatch.ts';
import type { Message } from '../../src/notify/message.ts';
import { createScheduler, type Scheduler } from '../../src/schedule/jobs.ts';
import { beat } from '../../src/app/heartbeat.ts';
import { createHarness, type Harness } from './harness.ts';

const field = (msg: Message, name: string) => msg.fields.find((f) => f.name === name)?.value;

describe('/status', () => {
  let h: Harness;
  let scheduler: Scheduler | undefined;
  let services: BotServices;
  const send = () =>
    new Dispatcher({ commands, services, adminIds: [], newRef: () => '7f3a' }).dispatch({
      platform: 'telegram', chat: 'telegram:100', user: 'telegram:2', command: 'status', input: [],
    });
  beforeEach(async () => {
    h = await createHarness();
    services = h.services;
  });
  afterEach(async () => {
    vi.useRealTimers();
    await scheduler?.stop();
    scheduler = undefined;
    await h.close();
  });

  it('should say no bot runs when none has beaten a heartbeat, with no instance id invented', async () => {
    const msg = await send();
    expect(msg.title).toBe('⚪ hundredx status: no bot running');
    expect(field(msg, 'Data source')).toBe('replay');
    expect(field(msg, 'Store')).toBe('memory (this process only)');
    expect(field(msg, 'Uptime')).toBeUndefined();
    expect(field(msg, 'Bot')).toBe('not running: no bot has written a heartbeat to this store');
    expect(field(msg, 'Scheduler')).toBe('not running in this process: jobs run on another instance, or not at all');
    expect(field(msg, 'Last cycle')).toBe('none yet');
    expect(msg.footer).toBeUndefined();
  });

  it('should say a bot runs elsewhere from its fresh heartbeat, and how long ago one that stopped beating was seen', async () => {
    const own = { instanceId: 'bot-7', host: 'box', pid: 4242 };
    const nowMs = Date.now();
    await beat(h.runtime.store, { ...own, startedAt: new Date(nowMs - 3 * 3_600_000).toISOString() }, new Date(nowMs - 12_000));
    const running = await send();
    expect(running.title).toBe('🟢 hundredx status: running');
    expect(field(running, 'Bot')).toBe('running: instance bot-7 on box (pid 4242), last heartbeat 12 s ago');
    expect(field(running, 'Uptime')).toBe('3h 0m');
    expect(running.footer).toBe('Instance bot-7. Times are New York time.');

    await beat(h.runtime.store, { ...own, startedAt: new Date(nowMs - 5 * 3_600_000).toISOString() }, new Date(nowMs - (2 * 60 + 5) * 60_000));
    const killed = await send();
    expect(killed.title).toBe('⚪ hundredx status: no bot running');
    expect(field(killed, 'Bot')).toBe('not running: last heartbeat 2h 5m ago (instance bot-7 on box (pid 4242), no clean stop: killed, or cut off from the store)');
    expect(killed.footer).toBeUndefined();

    await beat(h.runtime.store, { ...own, startedAt: new Date(nowMs - 3_600_000).toISOString() }, new Date(nowMs - 60_000), true);
    expect(field(await send(), 'Bot')).toBe('not running: last heartbeat 1m ago (instance bot-7 on box (pid 4242), stopped)');
  });

  it("should show each job's last and next run, the last error and the last cycle with a scheduler attached", async () => {
    // Fake timers so node-cron's started timers stay still; the clock is moved by hand below.
    vi.useFakeTimers({ now: new Date('2026-11-27T13:00:00Z'), toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    scheduler = createScheduler({
      store: h.runtime.store,
      jobs: {
        premarket: async () => Promise.reject(new Error('VIX bars missing')),
        intraday: async () => {
          await h.services.recordCycle(await h.services.cycle());
        },
        close: async () => undefined,
      },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      instanceId: 'bot-1',
    });
    services = new BotServices(h.runtime, { schedulerStatus: () => scheduler!.status() });
    await scheduler.start();
    vi.setSystemTime(new Date('2026-11-27T14:00:00Z')); // 09:00 ET on the day after Thanksgiving (13:00 close)
    await scheduler.tick('premarket', new Date('2026-11-27T14:00:00Z'));
    vi.setSystemTime(new Date('2026-11-27T14:45:00Z'));
    await scheduler.tick('intraday', new Date('2026-11-27T14:45:00Z'));
    vi.setSystemTime(new Date('2026-11-27T15:00:00Z'));

    const msg = await send();
    expect(msg.title).toBe('⚠️ hundredx status: running, with errors');
    expect(msg.tone).toBe('warning');
    expect(field(msg, 'Uptime')).toBe('2h 0m');
    expect(field(msg, 'premarket')).toBe(
      'last Fri, Nov 27, 09:00 ET: FAILED in 0.0 s on bot-1\nnext Mon, Nov 30, 09:00 ET\nlast error Fri, Nov 27, 09:00 ET: VIX bars missing',
    );
    expect(field(msg, 'intraday')).toBe('last Fri, Nov 27, 09:45 ET: ok in 0.0 s on bot-1\nnext Fri, Nov 27, 10:15 ET');
    expect(field(msg, 'close')).toBe('last: not yet\nnext Fri, Nov 27, 13:15 ET');
    // The cycle's duration comes from the monotonic clock, which fake timers leave alone here.
    expect(field(msg, 'Last cycle')).toMatch(
      /^Fri, Nov 27, 09:45 ET on replay data: 15 scanned, 11 signals, 5 accepted, 6 rejected, 0 errors in \d+\.\d s$/,
    );
    expect(field(msg, 'Cycle errors')).toBeUndefined();
    expect(msg.footer).toBe('Instance bot-1. Times are New York time.');
  });
});

describe('statusReply', () => {
  const cycle = (errors: number) => ({
    source: 'yahoo',
    startedAt: '2026-03-02T15:15:02.000Z',
    results: Array.from({ length: errors }, (_, i) => ({ symbol: `T${i}`, error: { kind: 'upstream', message: 'HTTP 503' } })),
    stats: { scanned: 100, signals: 3, accepted: 1, rejected: 2, errors, durationMs: 4_250 },
  });

  it('should list the failed tickers of the last cycle, at most 5, and turn amber', () => {
    const msg = statusReply({ scheduler: null, lastCycle: cycle(7), source: 'yahoo', storeKind: 'redis', processUptimeMs: 61_000, paused: null });
    expect(msg.tone).toBe('warning');
    expect(field(msg, 'Store')).toBe('Redis (shared by every instance)');
    expect(field(msg, 'Uptime')).toBeUndefined(); // no bot known to run
    expect(field(msg, 'Last cycle')).toBe(
      'Mon, Mar 2, 10:15 ET on yahoo data: 100 scanned, 3 signals, 1 accepted, 2 rejected, 7 errors in 4.3 s',
    );
    expect(field(msg, 'Cycle errors')).toBe(
      ['T0', 'T1', 'T2', 'T3', 'T4'].map((t) => `${t} (upstream): HTTP 503`).join('\n') + '\n…and 2 more',
    );
  });

  it('should say since when the store is unreachable, with the date once it is another day, and turn amber', () => {
    const view = { scheduler: null, lastCycle: null, source: 'yahoo', storeKind: 'redis' as const, processUptimeMs: 0, storeUnreachableSince: '2026-03-02T15:02:00.000Z' };
    const today = statusReply(view, new Date('2026-03-02T16:00:00Z'));
    expect(field(today, 'Store')).toBe('Redis (shared by every instance): store unreachable since 10:02 ET');
    expect(today.tone).toBe('warning');
    expect(field(statusReply(view, new Date('2026-03-03T15:00:00Z')), 'Store')).toBe(
      'Redis (shared by every instance): store unreachable since Mon, Mar 2, 10:02 ET',
    );
  });

  it('should say "none yet" for a stored cycle it cannot read rather than fail', () => {
    const msg = statusReply({ scheduler: null, lastCycle: { garbage: true }, source: 'yahoo', storeKind: 'memory', processUptimeMs: 0, paused: null });
    expect(field(msg, 'Last cycle')).toBe('none yet');
    expect(msg.tone).toBe('info');
  });
});

describe('formatUptime', () => {
  it.each([
    [0, '0m'],
    [59_999, '0m'],
    [60_000, '1m'],
    [3 * 3_600_000 + 5 * 60_000, '3h 5m'],
    [2 * 86_400_000 + 60_000, '2d 0h 1m'],
  ])('should format %i ms as %s', (ms, expected) => {
    expect(formatUptime(ms)).toBe(expected);
  });
});
